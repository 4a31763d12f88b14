# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlBackupDestruction(models.Model):
    """介质冲洗/销毁登记表 (seed 000 B01-17, S09 B09-10): request, approval, registration and handover; the
    medium is wiped or destroyed before at least two distinct witnesses, and a certificate is printed."""

    _name = "ctrl.backup.destruction"
    _description = "Backup Media Wipe or Destruction"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.approval.mixin"]
    _order = "id desc"

    name = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    media_id = fields.Many2one("maintenance.equipment", required=True, domain=[("ctrl_is_media", "=", True)],
                               tracking=True, ondelete="restrict")
    reason = fields.Selection(
        [("damaged", "Damaged"), ("expired", "Expired"), ("retired", "Retired"), ("other", "Other")],
        required=True, default="expired", tracking=True,
    )
    operation = fields.Selection([("wipe", "Wipe (冲洗)"), ("destroy", "Destroy (销毁)")], required=True,
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
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved"), ("done", "Done"),
         ("refused", "Refused"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, copy=False,
    )
    registered_on = fields.Date(readonly=True, copy=False)
    handed_over_by_id = fields.Many2one("res.users", "Handed over by", tracking=True)
    received_by_id = fields.Many2one("res.users", "Received by", tracking=True)
    witness_ids = fields.Many2many("res.users", string="Witnesses", help="At least two distinct people present.")
    data_unreadable = fields.Boolean("Data made unreadable first", help="Seed 000 B09-10 for confidential data.")
    done_on = fields.Datetime(readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    @api.depends("media_id.ctrl_retention_until")
    def _compute_within_retention(self):
        today = fields.Date.context_today(self)
        for destruction in self:
            until = destruction.media_id.ctrl_retention_until
            destruction.within_retention = bool(until and until >= today)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("ctrl.backup.destruction") or "/"
        return super().create(vals_list)

    def _approval_kind(self):
        self.ensure_one()
        return "backup_destruction_exception" if self.within_retention else "backup_destruction"

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
            request = destruction._ctrl_request_approval(destruction._approval_kind(), reason=reason)
            destruction.write({"state": "to_approve" if request else "approved",
                               "registered_on": fields.Date.context_today(destruction)})
        return True

    def _ctrl_on_approval_done(self, request):
        if not request.kind.startswith("backup_destruction"):
            return super()._ctrl_on_approval_done(request)
        self.write({"state": "approved" if request.state == "approved" else "refused"})
        return None

    def action_done(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only a backup administrator records a wipe or destruction."))
        for destruction in self:
            if destruction.state != "approved" or not destruction._ctrl_is_approved(destruction._approval_kind()):
                if destruction.within_retention:
                    raise UserError(_("%(name)s: medium %(media)s is within its retention (until %(until)s) and no "
                                      "exception is approved: it cannot be destroyed.", name=destruction.name,
                                      media=destruction.media_id.display_name,
                                      until=destruction.media_id.ctrl_retention_until))
                raise UserError(_("%s is not approved yet: submit it for approval.", destruction.name))
            if len(destruction.witness_ids) < 2:
                raise UserError(_("%s: at least 2 distinct witnesses must be present (seed 000 B01-17). "
                                  "Add them under Witnesses.", destruction.name))
            if not destruction.method:
                raise UserError(_("%s: choose the Method used.", destruction.name))
            if not destruction.handed_over_by_id or not destruction.received_by_id:
                raise UserError(_("%s: record who handed the medium over and who received it.", destruction.name))
            if destruction.media_id.ctrl_media_state == "on_loan":
                raise UserError(_("%s: the medium is on loan; have it returned first.", destruction.name))
            if destruction.media_id.ctrl_classification != "internal" and not destruction.data_unreadable:
                raise UserError(_("%s: the medium holds classified data; make the data unreadable first and tick "
                                  "'Data made unreadable first'.", destruction.name))
            destruction.write({"state": "done", "done_on": fields.Datetime.now(), "done_by_id": self.env.uid})
            media = destruction.media_id.with_context(ctrl_backup_media_workflow=True)
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
            for request in destruction._ctrl_approval_requests(destruction._approval_kind(), ["pending"]):
                request.sudo().write({"state": "cancel"})
            destruction.state = "cancel"
        return True

    def action_print_certificate(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("%s: the certificate is printed once the medium is wiped or destroyed.", self.name))
        return self.env.ref("ctrl_backup.action_report_destruction_certificate").report_action(self)
