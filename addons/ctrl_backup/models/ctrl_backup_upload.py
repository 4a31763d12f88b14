# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

UPLOAD_LADDER = "backup_upload"


class CtrlBackupUpload(models.Model):
    """One upload of an employee's work files to their server folder (seed 000 B10-05: at least weekly)."""

    _name = "ctrl.backup.upload"
    _rec_name = "employee_id"
    _description = "Employee Work-File Upload"
    _order = "date desc, id desc"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="employee_id.company_id", store=True)
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    file_count = fields.Integer("Files")
    size_mb = fields.Float("Size (MB)")
    note = fields.Char()

    @api.constrains("date", "file_count", "size_mb")
    def _check_values(self):
        for upload in self:
            if upload.date > fields.Date.context_today(upload):
                raise ValidationError(_("An upload cannot be dated in the future: fix Date."))
            if upload.file_count < 0 or upload.size_mb < 0:
                raise ValidationError(_("Files and Size cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        uploads = super().create(vals_list)
        # A new upload starts a fresh period: warnings start again from the first level.
        uploads.employee_id._ctrl_escalation_reset(UPLOAD_LADDER)
        return uploads


class CtrlBackupAccountability(models.Model):
    """问责: an employee without an upload for a month, for the department head to deal with (B10-07)."""

    _name = "ctrl.backup.accountability"
    _rec_name = "employee_id"
    _description = "Backup Accountability Record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    employee_id = fields.Many2one("hr.employee", required=True, index=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True)
    department_id = fields.Many2one("hr.department")
    head_id = fields.Many2one("res.users", string="Department head")
    last_upload = fields.Date()
    reason = fields.Text()
    action_taken = fields.Text(tracking=True)
    state = fields.Selection([("open", "Open"), ("closed", "Closed")], default="open", required=True, tracking=True)

    def action_close(self):
        for record in self:
            if not (record.action_taken or "").strip():
                raise ValidationError(_("Record the Action taken before closing."))
        self.write({"state": "closed"})
        return True


class CtrlBackupSpotCheck(models.Model):
    """Department heads' spot checks of their people's backups (seed 000 B14-03)."""

    _name = "ctrl.backup.spot.check"
    _rec_name = "employee_id"
    _description = "Backup Spot Check"
    _order = "date desc, id desc"

    employee_id = fields.Many2one("hr.employee", required=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True)
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    checker_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    date = fields.Date(required=True, default=fields.Date.context_today)
    last_upload = fields.Date(compute="_compute_last_upload", store=True)
    compliant = fields.Boolean(help="The employee's backups are up to date and complete.")
    note = fields.Text()

    @api.depends("employee_id")
    def _compute_last_upload(self):
        for check in self:
            check.last_upload = check.employee_id.ctrl_last_upload

    @api.constrains("checker_id", "employee_id", "compliant", "note")
    def _check_checker(self):
        for check in self:
            if check.employee_id.user_id == check.checker_id:
                raise ValidationError(_("A spot check is made by someone else than the employee checked."))
            if not check.compliant and not (check.note or "").strip():
                raise ValidationError(_("Say what was wrong in Note when the backup is not compliant."))


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "ctrl.escalation.mixin"]

    # Not on the public profile: only HR officers see an employee's escalation steps.
    ctrl_escalation_step_ids = fields.One2many(groups="hr.group_hr_user")

    ctrl_upload_required = fields.Boolean(
        "Uploads work files weekly", groups="hr.group_hr_user",
        help="Has a computer: uploads work files to the server folder at least weekly.")
    ctrl_upload_since = fields.Date("Uploads required since", default=fields.Date.context_today,
                                    groups="hr.group_hr_user")
    ctrl_upload_ids = fields.One2many("ctrl.backup.upload", "employee_id", groups="hr.group_hr_user")
    ctrl_last_upload = fields.Date("Last upload", compute="_compute_ctrl_last_upload", store=True,
                                   groups="hr.group_hr_user")
    ctrl_upload_reference = fields.Date(
        compute="_compute_ctrl_last_upload", store=True, groups="hr.group_hr_user",
        help="Last upload, or the day uploads became required: the escalation counts from it.")

    @api.depends("ctrl_upload_ids.date", "ctrl_upload_since")
    def _compute_ctrl_last_upload(self):
        for employee in self:
            dates = employee.ctrl_upload_ids.mapped("date")
            employee.ctrl_last_upload = max(dates) if dates else False
            employee.ctrl_upload_reference = employee.ctrl_last_upload or employee.ctrl_upload_since

    def _ctrl_escalation_upload_accountability(self, level):
        """Ladder callback after a month without an upload: an accountability record for the head."""
        Accountability = self.env["ctrl.backup.accountability"].sudo()
        for employee in self:
            head = employee.department_id.manager_id.user_id
            record = Accountability.create({
                "employee_id": employee.id, "department_id": employee.department_id.id, "head_id": head.id,
                "last_upload": employee.ctrl_last_upload,
                "reason": _("No upload for %(days)s days or more.", days=level.days),
            })
            if head:
                record.activity_schedule("mail.mail_activity_data_todo", user_id=head.id,
                                         summary=_("Accountability: %s has not uploaded for a month", employee.name))

    @api.model
    def _ctrl_upload_offenders(self):
        """Employees who reached the warning level of the upload ladder and have not uploaded since."""
        ladder = self.env["ctrl.escalation.ladder"]._for(UPLOAD_LADDER)
        steps = self.env["ctrl.escalation.step"].sudo().search([
            ("ladder_id", "=", ladder.id), ("res_model", "=", "hr.employee")])
        return self.sudo().browse(set(steps.mapped("res_id"))).exists().filtered("ctrl_upload_required")

    @api.model
    def action_ctrl_upload_notice(self):
        """Company-wide notice listing the employees late with their uploads (seed 000 B14-13)."""
        live = self.env["res.company"]._ctrl_live_companies()
        offenders = self._ctrl_upload_offenders().filtered(lambda e: (e.company_id or self.env.company) in live)
        channel = self.env.ref("mail.channel_all_employees", raise_if_not_found=False)
        if not offenders or not channel:
            return False
        items = Markup("").join(
            Markup("<li>%s (%s): %s</li>") % (escape(e.name), escape(e.department_id.name or "-"),
                                               escape(e.ctrl_last_upload or _("never")))
            for e in offenders)
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            _("Backup notice: these colleagues have not uploaded their work files in time."), items)
        return channel.sudo().message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_comment")
