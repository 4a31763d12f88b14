# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

# Once done (or cancelled) a restore request is a closed record: only the chatter changes.
CHATTER_FIELDS = {"message_follower_ids", "activity_ids", "message_main_attachment_id"}


class CtrlBackupRestoreRequest(models.Model):
    """数据恢复申请表 (seed 000 B01-18, S19 B19-06..08, S14 B14-15)."""

    _name = "ctrl.backup.restore.request"
    _description = "Data Restore Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin", "ctrl.checklist.mixin"]
    _order = "id desc"

    _ctrl_sequence_code = "ctrl.backup.restore.request"
    _ctrl_approval_kind = "backup_restore"
    _ctrl_protected_fields = ("requested_by_id", "done_on")
    # What the department head and the IT head approve.
    _ctrl_content_fields = ("department_id", "data_content", "reason", "source_log_id", "planned_at",
                            "restore_plan", "cost", "charge_department", "company_id")

    name = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    department_id = fields.Many2one("hr.department", string="Requesting department", required=True, tracking=True)
    department_head_id = fields.Many2one("res.users", related="department_id.manager_id.user_id",
                                         string="Department head")
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True,
                                      copy=False)
    data_content = fields.Text("Data to restore", required=True)
    reason = fields.Text(required=True)
    source_log_id = fields.Many2one("ctrl.backup.log", string="Source backup", required=True,
                                    domain=[("result", "=", "done"), ("kind", "=", "backup")])
    planned_at = fields.Datetime("Planned restore time", required=True)
    restore_plan = fields.Text("Restore plan", required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved"), ("in_progress", "In progress"),
         ("done", "Done"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, copy=False,
    )
    # Seed 000 B19-08: back up the current data before restoring.
    pre_backup_log_id = fields.Many2one(
        "ctrl.backup.log", string="Backup of the current environment",
        help="Back up the current data before restoring.")
    executor_id = fields.Many2one("res.users", tracking=True,
                                  help="The system owner or a trusted delegate.")
    result = fields.Selection([("success", "Restored and verified"), ("partial", "Partly restored"),
                               ("failed", "Failed")], tracking=True, copy=False)
    result_note = fields.Text(copy=False)
    done_on = fields.Datetime(readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary("Recovery cost", tracking=True)
    charge_department = fields.Boolean(
        "Charge the department", default=True, tracking=True,
        help="Losses and recovery costs are borne by the department.")
    incident_id = fields.Many2one("ctrl.backup.incident", string="Incident")

    def _ctrl_check_write(self, vals):
        result = super()._ctrl_check_write(vals)
        if set(vals) & {"result", "result_note"}:
            for restore in self.filtered(lambda r: r.state != "in_progress"):
                raise UserError(_("%s: the Result is recorded while the restore is in progress.", restore.name))
        closed = self.filtered(lambda r: r.state in ("done", "cancel"))
        if closed and set(vals) - CHATTER_FIELDS:
            raise UserError(_("%s is closed: it cannot change; post a note in the chatter instead.",
                              closed[0].display_name))
        return result

    def _ctrl_approval_preparer(self):
        return self.requested_by_id

    def action_submit(self):
        for restore in self:
            if restore.state != "draft":
                raise UserError(_("%s is already submitted.", restore.name))
            if not restore.department_head_id:
                raise UserError(_("%s: the requesting department has no manager with a user; set the "
                                  "department's Manager so that they can approve.", restore.name))
            restore._ctrl_submit(reason=restore.reason)
        return True

    def _check_backup_staff(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only backup staff start or close a restore."))

    def action_start(self):
        self._check_backup_staff()
        for restore in self:
            if restore.state != "approved" or not restore._ctrl_is_approved("backup_restore"):
                raise UserError(_("%s is not approved by the department head and the IT head yet.", restore.name))
            restore._ctrl_set_state("in_progress", executor_id=restore.executor_id.id or self.env.uid)
            restore._ctrl_checklist_start("backup_restore")
        return True

    def action_done(self):
        self._check_backup_staff()
        for restore in self:
            if restore.state != "in_progress":
                raise UserError(_("%s: start the restore first.", restore.name))
            if not restore.result:
                raise UserError(_("%s: record the Result of the restore.", restore.name))
            if not restore._ctrl_checklist_closed("backup_restore"):
                raise UserError(_("%s: sign the restore checklist first (current environment backed up, data "
                                  "verified after the restore).", restore.name))
            restore._ctrl_set_state("done", done_on=fields.Datetime.now())
            if restore.cost and restore.charge_department:
                restore.message_post(body=_("Recovery cost %(cost)s %(cur)s charged to %(dept)s.", cost=restore.cost,
                                            cur=restore.currency_id.name, dept=restore.department_id.name))
        return True

    def action_cancel(self):
        for restore in self:
            if restore.state == "done":
                raise UserError(_("%s is done.", restore.name))
            for request in restore._ctrl_approval_requests("backup_restore", ["pending"]):
                request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                request._finish("cancel", None)
            restore._ctrl_set_state("cancel")
        return True

    def _ctrl_checklist_check_pre_backup(self):
        self.ensure_one()
        log = self.pre_backup_log_id
        if not log or log.result != "done":
            return _("Record the finished backup of the current environment (Backup of the current environment).")
        return ""
