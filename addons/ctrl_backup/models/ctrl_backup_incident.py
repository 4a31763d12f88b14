# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class CtrlBackupIncident(models.Model):
    """Incidents recorded in the backup archive (seed 000 B01-10; seed 002-004 Part D #13)."""

    _name = "ctrl.backup.incident"
    _description = "Backup Incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "occurred_at desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    incident_type = fields.Selection(
        [("attack", "Network attack"), ("virus", "Virus"), ("hardware", "Hardware failure"),
         ("data_loss", "Data loss"), ("other", "Other")], required=True, tracking=True)
    occurred_at = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    report_deadline = fields.Datetime(compute="_compute_report_deadline", store=True)
    reported_at = fields.Datetime(tracking=True)
    reported_late = fields.Boolean(compute="_compute_report_deadline", store=True)
    reporter_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    description = fields.Text(required=True)
    actions = fields.Text("Actions taken")
    state = fields.Selection([("open", "Open"), ("closed", "Closed")], default="open", required=True, tracking=True)
    log_ids = fields.Many2many("ctrl.backup.log", string="Backups")
    restore_ids = fields.One2many("ctrl.backup.restore.request", "incident_id", string="Restores")
    evidence_preserved = fields.Boolean(help="Evidence kept in a backup log (seed 002 A8.2).")

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

    def action_report(self):
        self.write({"reported_at": fields.Datetime.now()})
        return True

    def action_close(self):
        for incident in self:
            if not (incident.actions or "").strip():
                raise UserError(_("Incident %s: describe the Actions taken before closing it.", incident.name))
            if not incident.reported_at:
                raise UserError(_("Incident %s: report it first.", incident.name))
        self.write({"state": "closed"})
        return True


class CtrlBackupRepairDevice(models.Model):
    """Devices sent out for repair: backed up and wiped first, then registered (seed 000 S19 B19-10)."""

    _name = "ctrl.backup.repair.device"
    _description = "Device Sent Out for Repair"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    equipment_id = fields.Many2one("maintenance.equipment", string="Device")
    vendor_id = fields.Many2one("res.partner", string="Repairer")
    backup_log_id = fields.Many2one("ctrl.backup.log", string="Backup before repair",
                                    domain=[("result", "=", "done")])
    wiped = fields.Boolean("Storage wiped", tracking=True)
    wiped_by_id = fields.Many2one("res.users", tracking=True)
    approved_by_id = fields.Many2one("res.users", string="Authorised by", tracking=True,
                                     help="Department head who authorises sending it out (seed 000 I17-02).")
    state = fields.Selection([("draft", "Draft"), ("sent", "Sent out"), ("returned", "Returned")], default="draft",
                             required=True, tracking=True)
    sent_on = fields.Date(tracking=True)
    returned_on = fields.Date(tracking=True)
    supervised_by_id = fields.Many2one("res.users", help="Staff who supervised on-site work (seed 000 B19-10).")

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

    def action_send(self):
        self.write({"state": "sent", "sent_on": fields.Date.context_today(self)})
        return True

    def action_returned(self):
        for device in self:
            if device.state != "sent":
                raise UserError(_("%s was not sent out.", device.name))
        self.write({"state": "returned", "returned_on": fields.Date.context_today(self)})
        return True
