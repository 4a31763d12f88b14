# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_is_zero

from .ctrl_writeoff import WRITEOFF_REASONS


class CtrlBadDebtReviewLine(models.Model):
    """One doubtful receivable of a bad-debt review, with finance's decision
    and the finding of responsibility (003/R1.28: who is responsible, for
    what share, and why). What the review found when it listed the
    receivable (open amount, days past due, why it is doubtful) is set by
    the server; the rest is locked once the review is submitted."""

    _name = "ctrl.bad.debt.review.line"
    _description = "Bad-debt Review Receivable"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "review_id, days_due desc, id"

    _ctrl_parent_field = "review_id"
    _ctrl_protected_fields = ("move_id", "amount", "days_due", "basis", "writeoff_id")
    _ctrl_content_fields = ("review_id", "move_id", "amount", "decision", "responsible_user_id",
                            "responsible_share", "responsibility_reason", "writeoff_reason")

    review_id = fields.Many2one("ctrl.bad.debt.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    move_id = fields.Many2one("account.move", "Invoice", required=True, index=True, readonly=True)
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True, string="Customer")
    salesperson_id = fields.Many2one(related="move_id.invoice_user_id", string="Salesperson")
    invoice_date_due = fields.Date(related="move_id.invoice_date_due", string="Due date")
    amount = fields.Monetary("Open amount", readonly=True, help="Open on the review date.")
    days_due = fields.Integer("Days past due", readonly=True)
    basis = fields.Selection(
        [("aged", "Past due beyond 'Bad after'"), ("stopped", "Under collection, sales stopped over a month"),
         ("legal", "In legal action")], "Doubtful because", readonly=True)
    decision = fields.Selection([("bad", "Bad debt"), ("keep", "Keep collecting")], default="bad", required=True)
    responsible_user_id = fields.Many2one(
        "res.users", "Responsible", help="Who is responsible for the loss, usually the salesperson of the invoice. "
        "Empty: nobody (e.g. the customer's bankruptcy), which the reason says.")
    responsible_share = fields.Float("Share (%)", digits=(5, 2), default=100.0,
                                     help="Share of the loss the responsible person answers for.")
    responsibility_reason = fields.Text("Finding", help="Why this person is responsible, or why nobody is.")
    writeoff_reason = fields.Selection(WRITEOFF_REASONS, "Write-off reason")
    writeoff_id = fields.Many2one("ctrl.writeoff", "Write-off", readonly=True, index="btree_not_null")

    _sql_constraints = [("review_move_unique", "unique(review_id, move_id)",
                         "An invoice is listed once in a bad-debt review.")]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(_("The receivables of a bad-debt review are listed by the server (List Doubtful "
                                "Receivables), not added by hand."))
        return super().create(vals_list)

    @api.constrains("responsible_share")
    def _check_share(self):
        for line in self:
            if not 0.0 <= line.responsible_share <= 100.0:
                raise ValidationError(_("%(invoice)s: the responsible person's Share (%%) must be between 0 and 100.",
                                        invoice=line.move_id.name))

    def _check_finding(self):
        """A bad debt is submitted only with its finding (003/R1.28)."""
        for line in self:
            missing = []
            if not (line.responsibility_reason or "").strip():
                missing.append(self._fields["responsibility_reason"]._description_string(self.env))
            if not line.writeoff_reason:
                missing.append(self._fields["writeoff_reason"]._description_string(self.env))
            if line.responsible_user_id and float_is_zero(line.responsible_share, precision_digits=2):
                missing.append(self._fields["responsible_share"]._description_string(self.env))
            if missing:
                raise ValidationError(_("%(invoice)s (%(customer)s): fill in %(fields)s of the finding before "
                                        "submitting.", invoice=line.move_id.name, customer=line.partner_id.name,
                                        fields=", ".join(missing)))

    def _finding_text(self):
        self.ensure_one()
        if self.responsible_user_id:
            share = format(self.responsible_share, "g")
            return _("%(user)s responsible for %(share)s%%: %(reason)s", user=self.responsible_user_id.name,
                     share=share, reason=self.responsibility_reason or "")
        return _("nobody responsible: %(reason)s", reason=self.responsibility_reason or "")

    @api.depends("review_id.name", "move_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.review_id.name, line.move_id.name]))
