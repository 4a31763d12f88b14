# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CtrlBackupLoan(models.Model):
    """备份介质借用登记表 (seed 000 B01-12): by default media are not lent; a loan needs the GM's (or the
    executive director's) approval, is issued with a due date, returned with a condition check by the backup
    administrator, and signed by both parties."""

    _name = "ctrl.backup.loan"
    _description = "Backup Media Loan"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin", "ctrl.escalation.mixin"]
    _order = "id desc"

    _ctrl_sequence_code = "ctrl.backup.loan"
    _ctrl_approval_kind = "backup_loan"
    # Issue, return check and both signatures are set only by their buttons.
    _ctrl_protected_fields = ("issued_on", "issued_by_id", "returned_on", "return_condition", "checked_by_id",
                              "admin_signed_on", "borrower_signed_on")
    _ctrl_content_fields = ("media_id", "borrower_id", "purpose", "date_due", "company_id")

    name = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    media_id = fields.Many2one("maintenance.equipment", required=True, domain=[("ctrl_is_media", "=", True)],
                               tracking=True, ondelete="restrict")
    borrower_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user, tracking=True)
    purpose = fields.Text(required=True)
    date_due = fields.Date(
        "Due back on", required=True, tracking=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(
            days=int(self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.loan_days", 3))),
    )
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved"), ("issued", "Issued"),
         ("returned", "Returned"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, copy=False,
    )
    issued_on = fields.Datetime(readonly=True, copy=False)
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    returned_on = fields.Datetime(readonly=True, copy=False)
    return_condition = fields.Selection([("intact", "Intact"), ("damaged", "Damaged")], readonly=True, copy=False,
                                        tracking=True)
    checked_by_id = fields.Many2one("res.users", "Checked by (administrator)", readonly=True, copy=False)
    admin_signed_on = fields.Datetime("Administrator signed on", readonly=True, copy=False)
    borrower_signed_on = fields.Datetime("Borrower signed on", readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for loan in self:
            loan.is_overdue = loan.state == "issued" and loan.date_due < today

    def _search_is_overdue(self, operator, value):
        domain = [("state", "=", "issued"), ("date_due", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.constrains("date_due")
    def _check_date_due(self):
        for loan in self.filtered(lambda loan: loan.state in ("draft", "to_approve")):
            if loan.date_due < fields.Date.context_today(loan):
                raise ValidationError(_("Loan %s: the due date is in the past. Set Due back on to today or later.",
                                        loan.name))

    def _ctrl_approval_preparer(self):
        return self.borrower_id

    def action_submit(self):
        for loan in self:
            if loan.state != "draft":
                raise UserError(_("Loan %s is already submitted.", loan.name))
            if loan.media_id.ctrl_media_state != "in_store":
                raise UserError(_("Medium %(media)s is not in store (%(state)s): it cannot be lent.",
                                  media=loan.media_id.display_name, state=loan.media_id.ctrl_media_state))
            loan._ctrl_submit(reason=loan.purpose)
        return True

    def _ctrl_cancel_pending(self):
        """Cancel the pending approval request (the document itself is being cancelled)."""
        for request in self._ctrl_approval_requests(self._ctrl_approval_kind, ["pending"]):
            request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
            request._finish("cancel", None)

    def _check_admin(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only a backup administrator (Backup operator) can issue or take back media."))

    def action_issue(self):
        """Hand the medium over: only an approved loan (seed 000 B01-12: media are not lent by default)."""
        self._check_admin()
        for loan in self:
            if loan.state != "approved" or not loan._ctrl_is_approved("backup_loan"):
                raise UserError(_("Loan %s is not approved: media are lent only with the general manager's or "
                                  "the executive director's approval. Submit it first.", loan.name))
            if loan.media_id.ctrl_media_state != "in_store":
                raise UserError(_("Medium %s is not in store.", loan.media_id.display_name))
            if self.env.user == loan.borrower_id:
                raise UserError(_("Loan %s: the borrower cannot issue the medium to themselves; another backup "
                                  "administrator must.", loan.name))
            loan._ctrl_set_state("issued", issued_on=fields.Datetime.now(), issued_by_id=self.env.uid)
            loan.media_id.sudo().write({"ctrl_media_state": "on_loan"})
        return True

    def action_return(self, condition="intact"):
        """The administrator checks the returned medium and signs."""
        self._check_admin()
        if condition not in ("intact", "damaged"):
            raise UserError(_("Return condition must be 'intact' or 'damaged'."))
        for loan in self:
            if loan.state != "issued":
                raise UserError(_("Loan %(loan)s: medium %(media)s was never lent on this loan (state %(state)s); "
                                  "there is nothing to return.", loan=loan.name, media=loan.media_id.display_name,
                                  state=loan.state))
            if self.env.user == loan.borrower_id:
                raise UserError(_("Loan %s: the borrower cannot check their own return; a backup administrator "
                                  "must.", loan.name))
            if loan.returned_on:
                raise UserError(_("Loan %s: the return was already checked and signed.", loan.name))
            # The administrator's check is their signature.
            loan._ctrl_write_protected({
                "returned_on": fields.Datetime.now(), "return_condition": condition,
                "checked_by_id": self.env.uid, "admin_signed_on": fields.Datetime.now(),
            })
            loan.media_id.sudo().write({"ctrl_media_state": "damaged" if condition == "damaged" else "in_store"})
            loan._finish_if_signed()
        return True

    def action_return_intact(self):
        return self.action_return("intact")

    def action_return_damaged(self):
        return self.action_return("damaged")

    def action_borrower_sign(self):
        for loan in self:
            if self.env.user != loan.borrower_id:
                raise UserError(_("Loan %s: only the borrower signs here.", loan.name))
            if not loan.returned_on:
                raise UserError(_("Loan %s: the administrator checks the medium first; sign after the return.",
                                  loan.name))
            if loan.borrower_signed_on:
                raise UserError(_("Loan %s: you already signed.", loan.name))
            loan._ctrl_write_protected({"borrower_signed_on": fields.Datetime.now()})
            loan._finish_if_signed()
        return True

    def _finish_if_signed(self):
        for loan in self.sudo():
            if loan.admin_signed_on and loan.borrower_signed_on and loan.state == "issued":
                loan._ctrl_set_state("returned")
                loan._ctrl_escalation_reset("backup_loan_overdue")
                loan.message_post(body=_("Returned (%s), signed by both parties.", loan.return_condition))

    def action_cancel(self):
        for loan in self:
            if loan.state in ("issued", "returned"):
                raise UserError(_("Loan %s is issued: return the medium instead of cancelling.", loan.name))
            loan._ctrl_cancel_pending()
            loan._ctrl_set_state("cancel")
        return True
