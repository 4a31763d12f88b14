# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.ctrl_base.tools.i18n import write_translations

REASON_MODE_FIELD = {
    "over_limit": "ctrl_credit_over_limit_mode",
    "overdue": "ctrl_credit_overdue_mode",
    "cash_only": "ctrl_credit_cash_mode",
}


class CtrlCreditHold(models.Model):
    """A reason why credit sales or deliveries to a customer are held.

    Holds are records so that other addons add reasons (selection_add on
    ``reason``) and one mechanism enforces them all. A hold is lifted by an
    approved request (kind 'hold_release'), which is the logged override.

    The server places and lifts holds: every field is protected, so no client
    write (whatever its access rights) sets the state or the lifting fields;
    only ``_ctrl_lift`` and the approved release do. A release approval covers
    the hold it was asked for (customer, company, reason, mode, source).
    """

    _name = "ctrl.credit.hold"
    _description = "Credit Hold"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin", "ctrl.document.mixin"]
    _ctrl_protected_fields = ("partner_id", "company_id", "reason", "mode", "res_model", "res_id", "date_since",
                              "lifted_by_id", "date_lifted", "lift_reason", "note", "guarantor_id")
    _ctrl_content_fields = ("partner_id", "company_id", "reason", "mode", "res_model", "res_id")
    # An active hold may be deleted by the server only (no user has the right); a lifted one stays as evidence.
    _ctrl_draft_states = ("active",)
    _ctrl_approval_kind = "hold_release"
    _order = "date_since desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, readonly=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company,
                                 index=True)
    reason = fields.Selection(
        [("over_limit", "Over credit limit"), ("overdue", "Overdue invoices"),
         ("cash_only", "Cash before delivery / deposit"), ("no_credit_file", "Credit file missing"),
         ("manual", "Manual hold")],
        required=True, readonly=True, tracking=True, index=True,
    )
    mode = fields.Selection([("warn", "Warn"), ("block", "Block")], default="block", required=True, readonly=True)
    res_model = fields.Char("Source model", readonly=True)
    res_id = fields.Many2oneReference("Source id", model_field="res_model", readonly=True)
    res_ref = fields.Reference(string="Source document")
    date_since = fields.Datetime("Since", default=fields.Datetime.now, readonly=True, required=True)
    state = fields.Selection([("active", "Active"), ("lifted", "Lifted")], default="active", required=True,
                             readonly=True, tracking=True, index=True)
    lifted_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    date_lifted = fields.Datetime(readonly=True)
    lift_reason = fields.Text(readonly=True)
    # Generated notes (a ladder, an order's check) are written in every language: each reader reads their own.
    note = fields.Text(readonly=True, translate=True)
    guarantor_id = fields.Many2one(
        "res.users", readonly=True, tracking=True,
        # 003/D16
        help="A guarantor of department-manager rank or above answers for the debt with their salary.")

    def _compute_display_name(self):
        labels = dict(self._fields["reason"]._description_selection(self.env))
        for hold in self:
            hold.display_name = f"{hold.partner_id.display_name}: {labels.get(hold.reason, hold.reason)}"

    def _ctrl_credit_label(self):
        """The hold in plain words for a banner or a message: its reason and
        why it was placed (the note), e.g. 'Manual hold: cheque returned'."""
        self.ensure_one()
        label = dict(self._fields["reason"]._description_selection(self.env)).get(self.reason, self.reason)
        note = (self.note or "").strip()
        return f"{label}: {note}" if note and not note.startswith(label) else (note or label)

    def _ctrl_credit_pending_releases(self):
        """{hold id: its pending release request} (as superuser)."""
        if not self.ids:
            return {}
        requests = self.env["ctrl.approval.request"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("kind", "=", self._ctrl_approval_kind),
            ("state", "=", "pending")])
        return {request.res_id: request for request in requests}

    def _ctrl_credit_check_requester(self):
        """Who may ask for a release: a salesperson or a credit user who can
        read the hold and the document it holds (their own order, say).
        Asking grants nothing: the approval rule's steps decide."""
        user = self.env.user
        if not self.env.su and not (user.has_group("sales_team.group_sale_salesman")
                                    or user.has_group("ctrl_credit.group_credit_user")):
            raise AccessError(_("Only salespeople and Customer Credit users can ask for the release of a credit "
                                "hold."))
        self.check_access("read")
        for hold in self:
            if hold.res_model and hold.res_id and hold.res_model in self.env:
                self.env[hold.res_model].browse(hold.res_id).exists().check_access("read")

    # ------------------------------------------------------------------
    @api.model
    def _mode_for(self, reason, partner, company):
        """Block or warn: the company's setting for the reason, softened to the
        'customers with only a limit' setting for ungraded customers (not for
        the customers of a credit group of the company: its cap is ctrl's)."""
        mode = company[REASON_MODE_FIELD[reason]] if reason in REASON_MODE_FIELD else "block"
        group = partner.commercial_partner_id.sudo().ctrl_credit_group_id
        graded = partner.with_company(company).ctrl_credit_grade_id or (group.active and group.company_id == company)
        if mode == "block" and not graded and reason in ("over_limit", "overdue"):
            mode = company.ctrl_credit_native_limit_mode
        return mode

    @api.model
    def _ctrl_place(self, partner, reason, source=None, note=None, company=None):
        """Place (or return the existing active) hold. Idempotent per
        (commercial partner, company, reason, source). ``note``: a text, or {lang: text} for a generated one."""
        notes = note if isinstance(note, dict) else {}
        note = (notes.get(self.env.lang) or next(iter(notes.values()), None)) if notes else note
        partner = partner.commercial_partner_id
        company = company or (source.company_id if source and "company_id" in source else self.env.company)
        domain = [("partner_id", "=", partner.id), ("company_id", "=", company.id), ("reason", "=", reason),
                  ("state", "=", "active"), ("res_model", "=", source._name if source else False),
                  ("res_id", "=", source.id if source else 0)]
        Hold = self.sudo()
        existing = Hold.search(domain, limit=1)
        if existing:
            return existing
        mode = self._mode_for(reason, partner, company)
        hold = Hold.create({
            "partner_id": partner.id, "company_id": company.id, "reason": reason,
            "mode": "warn" if mode == "warn" else "block", "note": note,
            "res_model": source._name if source else False, "res_id": source.id if source else 0,
        })
        write_translations(hold, "note", {lang: {hold.id: text} for lang, text in notes.items()})
        partner.sudo().message_post(body=_("Credit hold placed: %(hold)s. %(note)s",
                                           hold=hold.display_name, note=note or ""))
        salesperson = partner.user_id or self.env.user
        hold.activity_schedule("mail.mail_activity_data_todo", user_id=salesperson.id,
                               summary=_("Credit hold: %(hold)s", hold=hold.display_name), note=note)
        return hold.with_env(self.env)

    def _ctrl_lift(self, note=None):
        for hold in self.sudo().filtered(lambda h: h.state == "active"):
            hold._ctrl_set_state("lifted", lifted_by_id=self.env.uid, date_lifted=fields.Datetime.now(),
                                 lift_reason=note)
            # Lifted otherwise (paid, file approved...): a release still waiting has nothing left to release.
            for request in hold._ctrl_approval_requests(hold._ctrl_approval_kind, ["pending"]):
                request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                request._finish("cancel", _("The hold was lifted: %(note)s", note=note or ""))
            hold.activity_ids.unlink()
            hold.partner_id.message_post(body=_("Credit hold lifted: %(hold)s by %(user)s. %(note)s",
                                                hold=hold.display_name, user=self.env.user.name, note=note or ""))
        return True

    def action_request_release(self, reason=None, guarantor=None):
        """Ask to lift the hold (the logged override). The request carries the
        reason and, optionally, a guarantor (003/D16)."""
        self.ensure_one()
        self._ctrl_credit_check_requester()
        if self.state != "active":
            raise UserError(_("This hold is already lifted."))
        if self._ctrl_approval_requests(self._ctrl_approval_kind, ["pending"]):
            raise UserError(_("A release of %(hold)s is already waiting for approval: wait for the decision, or "
                              "cancel that request, before asking again.", hold=self.display_name))
        guarantor = self.env["res.users"].browse(guarantor.id if isinstance(guarantor, models.BaseModel)
                                                 else guarantor or [])
        if guarantor:
            self._check_guarantor(guarantor)
        # The request is created by the server (ctrl_base creates it as superuser): a salesperson needs no right
        # on approval requests to ask, and none to decide.
        request = self._ctrl_request_approval(kind=self._ctrl_approval_kind, reason=reason, amount=0.0,
                                              payload={"guarantor_id": guarantor.id or False})
        if not request:
            raise UserError(_("No approval rule applies to the release of credit holds: an Internal Control "
                              "administrator adds one in Internal Control > Configuration > Approval Rules."))
        if guarantor:
            self._ctrl_write_protected({"guarantor_id": guarantor.id})
        return request

    @api.model
    def _check_guarantor(self, user):
        rank_groups = self.env.ref("ctrl_base.group_approver_department_head") \
            | self.env.ref("ctrl_base.group_approver_sales_manager") \
            | self.env.ref("ctrl_base.group_approver_sales_vp") \
            | self.env.ref("ctrl_base.group_approver_finance") | self.env.ref("ctrl_base.group_approver_gm")
        if not (user.groups_id & rank_groups):
            # 003/D16
            raise UserError(_("Guarantor %(user)s is below the required rank: a guarantor must be a department "
                              "manager or above.", user=user.name))

    def _ctrl_approval_preparer(self):
        return self.env["res.users"]

    def _ctrl_on_approval_done(self, request):
        if request.kind != self._ctrl_approval_kind:
            return super()._ctrl_on_approval_done(request)
        # ctrl_base approved it only if the hold still is the one asked for (fingerprint).
        if request.state == "approved":
            self._ctrl_lift(request.reason or _("Released by approval %(name)s", name=request.name))
        return None

    def action_open_release_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Release %(hold)s", hold=self.display_name),
            "res_model": "ctrl.credit.hold.release", "view_mode": "form",
            "target": "new", "context": {"default_hold_id": self.id},
        }
