# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

MAIN_KIND = "backup_destruction"
EXCEPTION_KIND = "backup_destruction_exception"
# Once done (or cancelled) a destruction is a closed record: only the chatter changes.
CHATTER_FIELDS = {"message_follower_ids", "activity_ids", "message_main_attachment_id"}


class CtrlBackupDestruction(models.Model):
    """介质冲洗/销毁登记表 (seed 000 B01-17, S09 B09-10): request, approval, registration and handover; the
    medium is wiped or destroyed before at least two distinct witnesses, and a certificate is printed."""

    _name = "ctrl.backup.destruction"
    _description = "Backup Media Wipe or Destruction"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "id desc"

    _ctrl_sequence_code = "ctrl.backup.destruction"
    # Set only by submit (approval kind, registration), the witnesses' sign button and the done button.
    _ctrl_protected_fields = ("approval_kind", "registered_on", "witness_signed_ids", "done_on", "done_by_id")
    _ctrl_content_fields = ("media_id", "reason", "operation", "exception_reason", "company_id")

    @property
    def _ctrl_approval_kind(self):
        """A medium still within its retention needs the exception approval (general manager). The kind is
        fixed at submission, so a date passing while it waits does not change what is being approved."""
        if len(self) != 1:
            return MAIN_KIND
        return self.approval_kind or (EXCEPTION_KIND if self.within_retention else MAIN_KIND)

    name = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    media_id = fields.Many2one("maintenance.equipment", required=True, domain=[("ctrl_is_media", "=", True)],
                               tracking=True, ondelete="restrict")
    reason = fields.Selection(
        [("damaged", "Damaged"), ("expired", "Expired"), ("retired", "Retired"), ("other", "Other")],
        required=True, default="expired", tracking=True,
    )
    operation = fields.Selection([("wipe", "Wipe"), ("destroy", "Destroy")], required=True,
                                 default="destroy", tracking=True)
    method = fields.Selection(
        [("overwrite", "Overwrite"), ("degauss", "Degauss"), ("shred", "Shred"), ("incinerate", "Incinerate"),
         ("other", "Other")], tracking=True,
    )
    method_note = fields.Char()
    within_retention = fields.Boolean(compute="_compute_within_retention")
    exception_reason = fields.Text(
        tracking=True, help="Why a medium still within its retention may be destroyed; the general manager "
        "approves the exception.")
    approval_kind = fields.Selection([(MAIN_KIND, "Standard"), (EXCEPTION_KIND, "Exception within retention")],
                                     readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved"), ("done", "Done"),
         ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, copy=False,
    )
    registered_on = fields.Date(readonly=True, copy=False)
    handed_over_by_id = fields.Many2one("res.users", "Handed over by", tracking=True)
    received_by_id = fields.Many2one("res.users", "Received by", tracking=True)
    witness_ids = fields.Many2many("res.users", string="Witnesses", help="At least two distinct people present.")
    witness_signed_ids = fields.Many2many(
        "res.users", "ctrl_backup_destruction_witness_signed_rel", "destruction_id", "user_id",
        string="Signed by witnesses", readonly=True, copy=False,
        help="Each witness signs with the Sign as Witness button.")
    data_unreadable = fields.Boolean("Data made unreadable first", help="Required for confidential data.")
    done_on = fields.Datetime(readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.depends("media_id.ctrl_retention_until")
    def _compute_within_retention(self):
        today = fields.Date.context_today(self)
        for destruction in self:
            until = destruction.media_id.ctrl_retention_until
            destruction.within_retention = bool(until and until >= today)

    def _ctrl_check_write(self, vals):
        result = super()._ctrl_check_write(vals)
        closed = self.filtered(lambda d: d.state in ("done", "cancel"))
        if closed and set(vals) - CHATTER_FIELDS:
            raise UserError(_("%s is closed: it cannot change; post a note in the chatter instead.",
                              closed[0].display_name))
        return result

    def action_submit(self):
        for destruction in self:
            if destruction.state != "draft":
                raise UserError(_("%s is already submitted.", destruction.name))
            if destruction.within_retention and not (destruction.exception_reason or "").strip():
                raise UserError(_(
                    "%(name)s: medium %(media)s must be kept until %(until)s. Give an Exception reason: the "
                    "general manager must approve destroying it within its retention.",
                    name=destruction.name, media=destruction.media_id.display_name,
                    until=destruction.media_id.ctrl_retention_until))
            reason = destruction.exception_reason or dict(self._fields["reason"].selection)[destruction.reason]
            destruction._ctrl_write_protected({
                "approval_kind": EXCEPTION_KIND if destruction.within_retention else MAIN_KIND,
                "registered_on": fields.Date.context_today(destruction),
            })
            destruction._ctrl_submit(reason=reason)
        return True

    def action_witness_sign(self):
        """Each witness signs for themselves, once the destruction is approved."""
        for destruction in self:
            if destruction.state != "approved":
                raise UserError(_("%s: witnesses sign once it is approved, when the medium is wiped or destroyed.",
                                  destruction.name))
            if self.env.user not in destruction.witness_ids:
                raise AccessError(_("%s: only a person listed under Witnesses signs as a witness.",
                                    destruction.name))
            destruction._ctrl_write_protected({"witness_signed_ids": [Command.link(self.env.uid)]})
            destruction._message_log(body=_("Signed as witness by %s.", self.env.user.name))
        return True

    def action_done(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only a backup administrator records a wipe or destruction."))
        for destruction in self:
            kind = destruction._ctrl_approval_kind
            if destruction.within_retention and kind != EXCEPTION_KIND:
                raise UserError(_("%(name)s: medium %(media)s is now within its retention (until %(until)s): "
                                  "cancel it and ask for the exception approval.",
                                  name=destruction.name, media=destruction.media_id.display_name,
                                  until=destruction.media_id.ctrl_retention_until))
            if destruction.state != "approved" or not destruction._ctrl_is_approved(kind):
                if destruction.within_retention:
                    raise UserError(_("%(name)s: medium %(media)s is within its retention (until %(until)s) and no "
                                      "exception is approved: it cannot be destroyed.", name=destruction.name,
                                      media=destruction.media_id.display_name,
                                      until=destruction.media_id.ctrl_retention_until))
                raise UserError(_("%s is not approved yet: submit it for approval.", destruction.name))
            # Seed 000 B01-17: at least 2 distinct witnesses, other than the operator, each signed themselves.
            witnesses = destruction.witness_ids - self.env.user
            if len(witnesses) < 2:
                raise UserError(_("%s: at least 2 distinct witnesses must be present. "
                                  "Add them under Witnesses.", destruction.name))
            if len(destruction.witness_signed_ids & witnesses) < 2:
                raise UserError(_("%s: at least 2 witnesses, other than you, must sign with Sign as Witness "
                                  "first.", destruction.name))
            if not destruction.method:
                raise UserError(_("%s: choose the Method used.", destruction.name))
            if not destruction.handed_over_by_id or not destruction.received_by_id:
                raise UserError(_("%s: record who handed the medium over and who received it.", destruction.name))
            if destruction.media_id.ctrl_media_state == "on_loan":
                raise UserError(_("%s: the medium is on loan; have it returned first.", destruction.name))
            if destruction.media_id.ctrl_classification != "internal" and not destruction.data_unreadable:
                raise UserError(_("%s: the medium holds classified data; make the data unreadable first and tick "
                                  "'Data made unreadable first'.", destruction.name))
            destruction._ctrl_set_state("done", done_on=fields.Datetime.now(), done_by_id=self.env.uid)
            media = destruction.media_id.sudo()
            media.write({
                "ctrl_media_state": "wiped" if destruction.operation == "wipe" else "destroyed",
                "scrap_date": fields.Date.context_today(destruction) if destruction.operation == "destroy"
                else media.scrap_date,
            })
            media.message_post(body=_("%(op)s under %(name)s.", op=destruction.operation, name=destruction.name))
        return True

    def action_cancel(self):
        for destruction in self:
            if destruction.state == "done":
                raise UserError(_("%s is done and cannot be cancelled.", destruction.name))
            for request in destruction._ctrl_approval_requests(destruction._ctrl_approval_kind, ["pending"]):
                request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                request._finish("cancel", None)
            destruction._ctrl_set_state("cancel")
        return True

    def action_print_certificate(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("%s: the certificate is printed once the medium is wiped or destroyed.", self.name))
        return self.env.ref("ctrl_backup.action_report_destruction_certificate").report_action(self)
