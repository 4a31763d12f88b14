# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# Settings stored as the days of a ctrl_base escalation level: field -> (level xml id, sign).
LEVEL_SETTINGS = {
    "ctrl_backup_missed_executor_days": ("ctrl_backup.escalation_level_missed_executor", 1),
    "ctrl_backup_missed_manager_days": ("ctrl_backup.escalation_level_missed_manager", 1),
    "ctrl_backup_media_transfer_days": ("ctrl_backup.escalation_level_media_transfer", -1),
    "ctrl_backup_upload_warning_days": ("ctrl_backup.escalation_level_upload_warning", 1),
    "ctrl_backup_upload_accountability_days": ("ctrl_backup.escalation_level_upload_accountability", 1),
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ctrl_backup_missed_executor_days = fields.Integer(
        "Missed backup: executor after (days)", compute="_compute_ctrl_backup_levels", readonly=False)
    ctrl_backup_missed_manager_days = fields.Integer(
        "Missed backup: manager after (days)", compute="_compute_ctrl_backup_levels", readonly=False)
    ctrl_backup_media_transfer_days = fields.Integer(
        "Transfer media (days before expiry)", compute="_compute_ctrl_backup_levels", readonly=False)
    ctrl_backup_upload_warning_days = fields.Integer(
        "Upload warning after (days)", compute="_compute_ctrl_backup_levels", readonly=False)
    ctrl_backup_upload_accountability_days = fields.Integer(
        "Upload accountability after (days)", compute="_compute_ctrl_backup_levels", readonly=False)
    ctrl_backup_media_life_years = fields.Integer(
        "Media life (years)", default=3, config_parameter="ctrl_backup.media_life_years",
        help="Disk and optical media are replaced after this many years from first use.")
    ctrl_backup_inspection_days = fields.Integer(
        "Media inspection every (days)", default=180, config_parameter="ctrl_backup.inspection_days",
        help="Every half year.")
    ctrl_backup_loan_days = fields.Integer(
        "Default loan period (days)", default=3, config_parameter="ctrl_backup.loan_days")
    ctrl_backup_password_minlength = fields.Integer(
        "Minimum length of a chosen password", default=10, config_parameter="ctrl_backup.password_minlength",
        help="Applies when users set their own password (10 characters or more).")
    ctrl_backup_password_max_age_days = fields.Integer(
        "Password change every (days)", default=90, config_parameter="ctrl_backup.password_max_age_days",
        help="0 turns the periodic change off (every 3 months).")
    ctrl_backup_password_first_login = fields.Boolean(
        "Change the password at first login", default=True, config_parameter="ctrl_backup.password_first_login")
    ctrl_backup_login_log_days = fields.Integer(
        "Keep login logs (days)", default=90, config_parameter="ctrl_backup.login_log_days",
        help="At least 60 days.")
    ctrl_backup_incident_report_hours = fields.Integer(
        "Report incidents within (hours)", default=24, config_parameter="ctrl_backup.incident_report_hours")
    ctrl_backup_max_run_hours = fields.Integer(
        "Longest backup run (hours)", default=12, config_parameter="ctrl_backup.max_run_hours",
        help="A backup or restore test still running after this many hours is stopped and counted as failed.")

    @api.depends("company_id")
    def _compute_ctrl_backup_levels(self):
        for settings in self:
            for name, (xmlid, sign) in LEVEL_SETTINGS.items():
                level = self.env.ref(xmlid, raise_if_not_found=False)
                settings[name] = level.sudo().days * sign if level else 0

    @api.constrains("ctrl_backup_login_log_days")
    def _check_ctrl_backup_login_log_days(self):
        for settings in self:
            if settings.ctrl_backup_login_log_days < 60:
                raise ValidationError(_("Keep login logs for at least 60 days (Keep login logs)."))

    @api.constrains("ctrl_backup_max_run_hours")
    def _check_ctrl_backup_max_run_hours(self):
        for settings in self:
            if settings.ctrl_backup_max_run_hours <= 0:
                raise ValidationError(_("Set Longest backup run (hours) to 1 hour or more."))

    def set_values(self):
        result = super().set_values()
        for name, (xmlid, sign) in LEVEL_SETTINGS.items():
            # Settings are saved by other flows too (stock enables multi-warehouse as
            # a stock user): read the ladder level as superuser, write only a change.
            level = self.env.ref(xmlid, raise_if_not_found=False)
            if level and level.sudo().days != self[name] * sign:
                level.sudo().days = self[name] * sign
        return result
