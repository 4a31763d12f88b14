# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Fields that may still change on a done log: the checker's verification, custody, pruning, chatter.
MUTABLE_WHEN_DONE = {
    "checked_by_id", "checked_on", "custodian_id", "custody_date", "pruned",
    "message_follower_ids", "activity_ids", "message_main_attachment_id",
}


class CtrlBackupLog(models.Model):
    _name = "ctrl.backup.log"
    _description = "Backup Log"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one("ctrl.backup.plan", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    kind = fields.Selection([("backup", "Backup"), ("restore_test", "Restore test")], default="backup",
                            required=True)
    start = fields.Datetime(required=True, default=fields.Datetime.now)
    end = fields.Datetime()
    operator_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    method = fields.Selection(
        [("full", "Full"), ("incremental", "Incremental"), ("differential", "Differential"),
         ("on_demand", "On demand")],
    )
    source = fields.Char()
    size = fields.Integer(string="Size (bytes)")
    sha256 = fields.Char(string="SHA-256")
    media = fields.Char()
    path = fields.Char(string="Dump file")
    filestore_path = fields.Char(string="Filestore archive")
    result = fields.Selection([("done", "Done"), ("failed", "Failed")], required=True, default="failed",
                              tracking=True)
    note = fields.Text()
    pruned = fields.Boolean(help="The files were deleted after the retention period.")
    restored_log_id = fields.Many2one("ctrl.backup.log", string="Restored backup")
    checked_by_id = fields.Many2one("res.users", string="Checked by", tracking=True)
    checked_on = fields.Datetime()
    custodian_id = fields.Many2one("res.users", string="Data custodian", tracking=True)
    custody_date = fields.Datetime(string="Handed over on")

    @api.depends("plan_id.name", "start", "kind")
    def _compute_name(self):
        for log in self:
            log.name = "%s %s" % (log.plan_id.name or "", fields.Datetime.to_string(log.start) or "")

    def write(self, vals):
        locked = set(vals) - MUTABLE_WHEN_DONE
        if locked and any(log.result == "done" for log in self):
            raise UserError(_("A done backup log cannot be changed (seed 002: data backups may not be altered); "
                              "post a note in the chatter instead. Fields refused: %s", ", ".join(sorted(locked))))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_done(self):
        if any(log.result == "done" for log in self):
            raise UserError(_("A done backup log cannot be deleted; annotate it instead."))

    def action_verify(self):
        """The checker, not the executor, confirms the run independently."""
        for log in self:
            if log.result != "done":
                raise UserError(_("Only a done backup can be verified; %s failed.", log.name))
            if self.env.user == log.operator_id or self.env.user == log.plan_id.executor_id:
                raise UserError(_("%s: the checker must not be the person who ran the backup.", log.name))
            log.write({"checked_by_id": self.env.uid, "checked_on": fields.Datetime.now()})

    def action_hand_over(self, custodian):
        for log in self:
            log.write({"custodian_id": custodian.id, "custody_date": fields.Datetime.now()})
            log.message_post(body=_("Custody handed over from IT to %s.", custodian.name))
