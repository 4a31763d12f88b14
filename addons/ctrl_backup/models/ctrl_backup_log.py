# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

CHATTER_FIELDS = {"message_follower_ids", "activity_ids", "message_main_attachment_id"}
# Fields that may still change on a done log: the checker's verification, custody, pruning, chatter.
MUTABLE_WHEN_DONE = {"checked_by_id", "checked_on", "custodian_id", "custody_date", "pruned", "kept_reason",
                     *CHATTER_FIELDS}
# Set only by the server: the backup run and restore test (result, files, checksums, times), the verify
# action (checker), the hand-over action (custody) and pruning. A client never writes them.
PROTECTED = {
    "plan_id", "kind", "operator_id", "result", "start", "end", "size", "sha256", "path", "filestore_path",
    "filestore_sha256", "by_runner", "pruned", "kept_reason", "restored_log_id", "checked_by_id", "checked_on",
    "custodian_id", "custody_date", "row_counts",
}
# A hand-made log (media, external systems, plans logged by hand) may say when the run happened and
# whether it succeeded, but never carries a file for pruning or a checksum: those come from a real run.
HAND_MADE_ALLOWED = {"plan_id", "operator_id", "result", "start", "end"}


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
    filestore_sha256 = fields.Char(string="Filestore archive SHA-256")
    row_counts = fields.Json(
        string="Rows at backup", readonly=True,
        help="Rows of the key tables in the backup, counted in the snapshot that was dumped; the restore test "
        "compares the restored copy with them.")
    by_runner = fields.Boolean(
        string="Recorded by the backup run", readonly=True,
        help="Made by the Run backup button or a restore test, not by hand. Only such logs' files are ever "
        "deleted after the retention.")
    result = fields.Selection([("done", "Done"), ("failed", "Failed")], required=True, default="failed",
                              tracking=True)
    note = fields.Text()
    pruned = fields.Boolean(help="The files were deleted after the retention period.")
    kept_reason = fields.Char(
        string="Kept after retention because", readonly=True,
        help="Why the files were not deleted at the end of the retention: they could not be shown to be the "
        "backup run's own files.")
    restored_log_id = fields.Many2one("ctrl.backup.log", string="Restored backup")
    checked_by_id = fields.Many2one("res.users", string="Checked by", tracking=True)
    checked_on = fields.Datetime()
    custodian_id = fields.Many2one("res.users", string="Data custodian", tracking=True)
    custody_date = fields.Datetime(string="Handed over on")

    @api.depends("plan_id.name", "start", "kind")
    def _compute_name(self):
        for log in self:
            log.name = "%s %s" % (log.plan_id.name or "", fields.Datetime.to_string(log.start) or "")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_hand_made(vals_list)
        return super().create(vals_list)

    @api.model
    def _check_hand_made(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            forced = {name for name in PROTECTED - HAND_MADE_ALLOWED if vals.get(name)}
            if vals.get("kind", "backup") != "backup":
                forced.add("kind")
            if vals.get("operator_id", self.env.uid) != self.env.uid:
                forced.add("operator_id")
            if forced:
                raise AccessError(_(
                    "A backup log made by hand cannot set %(fields)s: the backup run, the checker's Verify "
                    "button and pruning set them. Leave them empty.", fields=", ".join(sorted(forced))))
            plan = self.env["ctrl.backup.plan"].browse(vals.get("plan_id"))
            if plan.plan_type == "odoo_db":
                raise AccessError(_("Plan %s backs up this Odoo database: its logs are made by the Run backup "
                                    "button, not by hand.", plan.name))
            for name in ("start", "end"):
                if vals.get(name) and fields.Datetime.to_datetime(vals[name]) > now:
                    raise UserError(_("A backup log cannot start or end in the future: fix %s.", name))

    def write(self, vals):
        if not self.env.su:
            protected = PROTECTED & set(vals)
            if protected:
                raise AccessError(_(
                    "%(fields)s of a backup log are recorded by the server (backup run, Verify, Hand over, "
                    "pruning), not by hand; post a note in the chatter instead.",
                    fields=", ".join(sorted(protected))))
            if set(vals) - CHATTER_FIELDS and any(self.mapped("by_runner")):
                raise AccessError(_("A log recorded by the backup run is evidence and is not changed by hand; "
                                    "post a note in the chatter instead."))
        locked = set(vals) - MUTABLE_WHEN_DONE
        if locked and any(log.result == "done" for log in self):
            raise UserError(_("A done backup log cannot be changed (seed 002: data backups may not be altered); "
                              "post a note in the chatter instead. Fields refused: %s", ", ".join(sorted(locked))))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_done(self):
        if any(log.result == "done" for log in self):
            raise UserError(_("A done backup log cannot be deleted; annotate it instead."))
        if not self.env.su and any(log.by_runner or log.plan_id.plan_type == "odoo_db" for log in self):
            raise UserError(_("A backup run's log is kept as evidence, even when it failed; annotate it instead."))

    def action_verify(self):
        """The plan's named checker, not the executor, confirms the run independently."""
        for log in self:
            if log.result != "done":
                raise UserError(_("Only a done backup can be verified; %s failed.", log.name))
            if log.checked_by_id:
                raise UserError(_("%(log)s was already verified by %(user)s.", log=log.name,
                                  user=log.checked_by_id.name))
            if self.env.user == log.operator_id or self.env.user == log.plan_id.executor_id:
                raise UserError(_("%s: the checker must not be the person who ran the backup.", log.name))
            if self.env.user != log.plan_id.checker_id or not self.env.user.has_group(
                    "ctrl_backup.group_backup_operator"):
                raise AccessError(_("%(log)s: only the plan's checker, %(user)s, verifies it.", log=log.name,
                                    user=log.plan_id.checker_id.name))
            log.sudo().write({"checked_by_id": self.env.uid, "checked_on": fields.Datetime.now()})
        return True

    def action_hand_over(self, custodian):
        """IT hands a backup over to a data custodian."""
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only backup staff hand a backup over to a custodian."))
        custodian = self.env["res.users"].browse(custodian.id if isinstance(custodian, models.BaseModel)
                                                 else custodian).exists()
        if not custodian or custodian.share or not custodian.active:
            raise UserError(_("Choose the custodian the backup is handed over to among the company's users."))
        for log in self:
            log.sudo().write({"custodian_id": custodian.id, "custody_date": fields.Datetime.now()})
            log.message_post(body=_("Custody handed over from IT to %s.", custodian.name))
        return True
