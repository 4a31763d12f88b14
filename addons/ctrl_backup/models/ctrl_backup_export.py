# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import AccessError


class CtrlBackupExport(models.AbstractModel):
    """XLSX export of the media register and the backup logs: the menu's
    entry point to the report ``ctrl_backup.backup_register``."""

    _name = "ctrl.backup.export"
    _description = "Backup XLSX export"

    @api.model
    def _ctrl_check_operator(self):
        if not self.env.su and not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only Backup operators can export the media register and the logs."))

    @api.model
    def action_export_xlsx(self):
        self._ctrl_check_operator()
        return self.env.ref("ctrl_backup.report_backup_register_xlsx").report_action([])
