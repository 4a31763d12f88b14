# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class CtrlBackupIncident(models.Model):
    """Incidents recorded in the backup archive (seed 000 B01-10; seed 002-004 Part D #13)."""

    _name = "ctrl.backup.incident"
    _description = "Backup Incident"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]

    # No approval: the mixin guards the state and the report time (set by Report and Close only);
    # what happened is locked once the incident is closed, and when it happened once it was reported.
    _ctrl_protected_fields = ("reported_at",)
    _ctrl_content_fields = ("name", "incident_type", "occurred_at", "description", "actions", "log_ids",
                            "evidence_preserved")
    _ctrl_draft_states = ("open",)
    _order = "occurred_at desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    incident_type = fields.Selection(
        [("attack", "Network attack"), ("virus", "Virus"), ("hardware", "Hardware failure"),
         ("data_loss", "Data loss"), ("other", "Other")], required=True, tracking=True)
    occurred_at = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    report_deadline = fields.Datetime(compute="_compute_report_deadline", store=True)
    reported_at = fields.Datetime(tracking=True, readonly=True, copy=False)
    reported_late = fields.Boolean(compute="_compute_report_deadline", store=True)
    reporter_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    description = fields.Text(required=True)
    actions = fields.Text("Actions taken")
    state = fields.Selection([("open", "Open"), ("closed", "Closed")], default="open", required=True, tracking=True,
                             readonly=True, copy=False)
    log_ids = fields.Many2many("ctrl.backup.log", string="Backups")
    restore_ids = fields.One2many("ctrl.backup.restore.request", "incident_id", string="Restores")
    # Seed 002 A8.2: evidence of an incident is preserved.
    evidence_preserved = fields.Boolean(help="Evidence kept in a backup log.")

    @api.depends("occurred_at", "reported_at")
    def _compute_report_deadline(self):
        hours = int(self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.incident_report_hours", 24))
        for incident in self:
            incident.report_deadline = incident.occurred_at + timedelta(hours=hours) if incident.occurred_at else False
            incident.reported_late = bool(incident.reported_at and incident.report_deadline
                                          and incident.reported_at > incident.report_deadline)

    @api.constrains("occurred_at", "reported_at")
    def _check_dates(self):
        for incident in self:
            if incident.reported_at and incident.occurred_at and incident.reported_at < incident.occurred_at:
                raise ValidationError(_("Incident %s: Reported at cannot be before Occurred at.", incident.name))

    def _ctrl_check_write(self, vals):
        result = super()._ctrl_check_write(vals)
        if "occurred_at" in vals:
            for incident in self.filtered("reported_at"):
                raise UserError(_("Incident %s was reported: Occurred at cannot change any more (it sets the "
                                  "reporting deadline); post a note in the chatter instead.", incident.name))
        return result

    def action_report(self):
        for incident in self:
            if incident.reported_at:
                raise UserError(_("Incident %s was already reported.", incident.name))
        self._ctrl_write_protected({"reported_at": fields.Datetime.now()})
        return True

    def action_close(self):
        for incident in self:
            if not (incident.actions or "").strip():
                raise UserError(_("Incident %s: describe the Actions taken before closing it.", incident.name))
            if not incident.reported_at:
                raise UserError(_("Incident %s: report it first.", incident.name))
        self._ctrl_set_state("closed")
        return True


class CtrlBackupRepairDevice(models.Model):
    """Devices sent out for repair: backed up and wiped first, then registered (seed 000 S19 B19-10)."""

    _name = "ctrl.backup.repair.device"
    _description = "Device Sent Out for Repair"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]

    # Authorisation, wiping and the send/return dates are set only by their buttons.
    _ctrl_protected_fields = ("approved_by_id", "wiped", "wiped_by_id", "sent_on", "returned_on")
    _ctrl_content_fields = ("name", "equipment_id", "vendor_id", "backup_log_id", "company_id")
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    equipment_id = fields.Many2one("maintenance.equipment", string="Device")
    vendor_id = fields.Many2one("res.partner", string="Repairer")
    backup_log_id = fields.Many2one("ctrl.backup.log", string="Backup before repair",
                                    domain=[("result", "=", "done")])
    wiped = fields.Boolean("Storage wiped", tracking=True, readonly=True, copy=False)
    wiped_by_id = fields.Many2one("res.users", tracking=True, readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", string="Authorised by", tracking=True, readonly=True, copy=False,
                                     help="Department head who authorises sending it out.")
    state = fields.Selection([("draft", "Draft"), ("sent", "Sent out"), ("returned", "Returned")], default="draft",
                             required=True, tracking=True, readonly=True, copy=False)
    sent_on = fields.Date(tracking=True, readonly=True, copy=False)
    returned_on = fields.Date(tracking=True, readonly=True, copy=False)
    supervised_by_id = fields.Many2one("res.users", help="Staff who supervised on-site work.")

    @api.constrains("state", "backup_log_id", "wiped")
    def _check_backed_up_and_wiped(self):
        for device in self.filtered(lambda d: d.state in ("sent", "returned")):
            if not device.backup_log_id or device.backup_log_id.result != "done":
                raise ValidationError(_("%s: the device's data must be backed up before it leaves: set Backup "
                                        "before repair to a finished backup.", device.name))
            if not device.wiped or not device.wiped_by_id:
                raise ValidationError(_("%s: the device's storage must be wiped before it leaves: tick Storage "
                                        "wiped and set who wiped it.", device.name))
            if not device.approved_by_id:
                raise ValidationError(_("%s: set who authorised sending the device out (Authorised by).",
                                        device.name))

    def write(self, vals):
        # An authorisation covers the device, repairer and backup it was given for.
        reauthorise = self.filtered("approved_by_id") if set(vals) & set(self._ctrl_content_fields) else self.browse()
        result = super().write(vals)
        if reauthorise and not self.env.su:
            reauthorise._ctrl_write_protected({"approved_by_id": False})
        return result

    def _check_backup_staff(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only backup staff wipe, send out or take back a device."))

    def _check_draft(self):
        for device in self.filtered(lambda d: d.state != "draft"):
            raise UserError(_("%s was already sent out.", device.name))

    def action_mark_wiped(self):
        """The person who wiped the storage records it themselves."""
        self._check_backup_staff()
        self._check_draft()
        self._ctrl_write_protected({"wiped": True, "wiped_by_id": self.env.uid})
        return True

    def action_authorise(self):
        """A department head authorises sending the device out; not the person who registered it."""
        if not self.env.user.has_group("ctrl_base.group_approver_department_head"):
            raise AccessError(_("Only a department head authorises sending a device out for repair."))
        self._check_draft()
        for device in self:
            if self.env.user == device.create_uid:
                raise AccessError(_("%s: you registered this device; another department head must authorise "
                                    "it.", device.name))
            device._ctrl_write_protected({"approved_by_id": self.env.uid})
        return True

    def action_send(self):
        self._check_backup_staff()
        self._check_draft()
        self._ctrl_set_state("sent", sent_on=fields.Date.context_today(self))
        return True

    def action_returned(self):
        self._check_backup_staff()
        for device in self:
            if device.state != "sent":
                raise UserError(_("%s was not sent out.", device.name))
        self._ctrl_set_state("returned", returned_on=fields.Date.context_today(self))
        return True
