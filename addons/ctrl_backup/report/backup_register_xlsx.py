# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models

LOG_LIMIT = 100000


class BackupRegisterXlsx(models.AbstractModel):
    """The media register and the backup logs, for Backup operators."""

    _name = "report.ctrl_backup.backup_register"
    _inherit = "ctrl.xlsx.report"
    _description = "Media register and backup logs (XLSX)"
    _ctrl_xlsx_constant_memory = True  # up to LOG_LIMIT log rows

    def _ctrl_xlsx_check(self, records, data):
        self.env["ctrl.backup.export"]._ctrl_check_operator()

    def _ctrl_xlsx_filters(self, records, data):
        return [(_("Listed"), _("All backup media; the latest %(count)s backup logs", count=LOG_LIMIT))]

    def _fill_workbook(self, workbook, formats, records, data):
        self._fill_media(workbook, formats)
        self._fill_logs(workbook, formats)

    def _fill_media(self, workbook, formats):
        sheet = workbook.add_worksheet(_("Media register"))
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [(title, 18) for title in (
            _("Media number"), _("Name"), _("Type"), _("Content"), _("Backed up on"), _("First used on"),
            _("Keep until"), _("Media expiry"), _("Site"), _("Cabinet"), _("Custodian"), _("State"))], formats)
        media = self.env["maintenance.equipment"].search([("ctrl_is_media", "=", True)], order="ctrl_media_number")
        states = dict(media._fields["ctrl_media_state"]._description_selection(self.env))
        for medium in media:
            self._ctrl_xlsx_row(sheet, row, [
                medium.ctrl_media_number or "", medium.name, medium.ctrl_media_type or "", medium.ctrl_content or "",
                fields.Datetime.to_string(medium.ctrl_backup_datetime) or "",
                fields.Date.to_string(medium.ctrl_first_use_date) or "",
                fields.Date.to_string(medium.ctrl_retention_until) or "",
                fields.Date.to_string(medium.ctrl_expiry_date) or "", medium.ctrl_site or "",
                medium.ctrl_location_id.name or "", medium.employee_id.name or "",
                states.get(medium.ctrl_media_state, ""),
            ], formats)
            row += 1

    def _fill_logs(self, workbook, formats):
        sheet = workbook.add_worksheet(_("Backup logs"))
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [(title, 18) for title in (
            _("Plan"), _("Kind"), _("Start"), _("End"), _("Operator"), _("Method"), _("Source"), _("Size (bytes)"),
            _("SHA-256"), _("Result"), _("Checked by"))], formats)
        for log in self.env["ctrl.backup.log"].search([], limit=LOG_LIMIT):
            self._ctrl_xlsx_row(sheet, row, [
                log.plan_id.name, log.kind, fields.Datetime.to_string(log.start) or "",
                fields.Datetime.to_string(log.end) or "", log.operator_id.name or "", log.method or "",
                log.source or "", log.size, log.sha256 or "", log.result, log.checked_by_id.name or "",
            ], formats)
            row += 1
