# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CtrlBackupRestoreRequest(models.Model):
    """数据恢复申请表 (seed 000 B01-18, S19 B19-06..08, S14 B14-15)."""

    _name = "ctrl.backup.restore.request"
    _description = "Data Restore Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.approval.mixin", "ctrl.checklist.mixin"]
    _order = "id desc"

    name = fields.Char(readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    department_id = fields.Many2one("hr.department", string="Requesting department", required=True, tracking=True)
    department_head_id = fields.Many2one("res.users", related="department_id.manager_id.user_id",
                                         string="Department head")
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    data_content = fields.Text("Data to restore", required=True)
    reason = fields.Text(required=True)
    source_log_id = fields.Many2one("ctrl.backup.log", string="Source backup", required=True,
                                    domain=[("result", "=", "done"), ("kind", "=", "backup")])
    planned_at = fields.Datetime("Planned restore time", required=True)
    restore_plan = fields.Text("Restore plan", required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved"), ("in_progress", "In progress"),
         ("done", "Done"), ("refused", "Refused"), ("cancel", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, copy=False,
    )
    pre_backup_log_id = fields.Many2one(
        "ctrl.backup.log", string="Backup of the current environment",
        help="Seed 000 B19-08: back up the current data before restoring.")
    executor_id = fields.Many2one("res.users", tracking=True,
                                  help="The system owner or a trusted delegate (seed 000 B19-07).")
    result = fields.Selection([("success", "Restored and verified"), ("partial", "Partly restored"),
                               ("failed", "Failed")], tracking=True, copy=False)
    result_note = fields.Text(copy=False)
    done_on = fields.Datetime(readonly=True, copy=False)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary("Recovery cost", tracking=True)
    charge_department = fields.Boolean(
        "Charge the department", default=True, tracking=True,
        help="Seed 000 B14-15: losses and recovery costs are borne by the department.")
    incident_id = fields.Many2one("ctrl.backup.incident", string="Incident")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("ctrl.backup.restore.request") or "/"
        return super().create(vals_list)

    def _ctrl_approval_preparer(self):
        return self.requested_by_id

    def action_submit(self):
        for restore in self:
            if restore.state != "draft":
                raise UserError(_("%s is already submitted.", restore.name))
            if not restore.department_head_id:
                raise UserError(_("%s: the requesting department has no manager with a user; set the "
                                  "department's Manager so that they can approve.", restore.name))
            request = restore._ctrl_request_approval("backup_restore", reason=restore.reason)
            restore.state = "to_approve" if request else "approved"
        return True

    def _ctrl_on_approval_done(self, request):
        if request.kind != "backup_restore":
            return super()._ctrl_on_approval_done(request)
        self.write({"state": "approved" if request.state == "approved" else "refused"})
        return None

    def action_start(self):
        for restore in self:
            if restore.state != "approved" or not restore._ctrl_is_approved("backup_restore"):
                raise UserError(_("%s is not approved by the department head and the IT head yet.", restore.name))
            restore.write({"state": "in_progress", "executor_id": restore.executor_id.id or self.env.uid})
            restore._ctrl_checklist_start("backup_restore")
        return True

    def action_done(self):
        for restore in self:
            if restore.state != "in_progress":
                raise UserError(_("%s: start the restore first.", restore.name))
            if not restore.result:
                raise UserError(_("%s: record the Result of the restore.", restore.name))
            if not restore._ctrl_checklist_closed("backup_restore"):
                raise UserError(_("%s: sign the restore checklist first (current environment backed up, data "
                                  "verified after the restore).", restore.name))
            restore.write({"state": "done", "done_on": fields.Datetime.now()})
            if restore.cost and restore.charge_department:
                restore.message_post(body=_("Recovery cost %(cost)s %(cur)s charged to %(dept)s.", cost=restore.cost,
                                            cur=restore.currency_id.name, dept=restore.department_id.name))
        return True

    def action_cancel(self):
        for restore in self:
            if restore.state == "done":
                raise UserError(_("%s is done.", restore.name))
            for request in restore._ctrl_approval_requests("backup_restore", ["pending"]):
                request.sudo().write({"state": "cancel"})
            restore.state = "cancel"
        return True

    def _ctrl_checklist_check_pre_backup(self):
        self.ensure_one()
        log = self.pre_backup_log_id
        if not log or log.result != "done":
            return _("Record the finished backup of the current environment (Backup of the current environment).")
        return ""
