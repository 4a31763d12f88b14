# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class CtrlBackupExport(models.AbstractModel):
    """XLSX export of the media register and the backup logs."""

    _name = "ctrl.backup.export"
    _description = "Backup XLSX export"

    @api.model
    def action_export_xlsx(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only Backup operators can export the media register and the logs."))
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(_("Media register"))
        sheet.write_row(0, 0, [_("Media number"), _("Name"), _("Type"), _("Content"), _("Backed up on"),
                               _("First used on"), _("Keep until"), _("Media expiry"), _("Site"), _("Cabinet"),
                               _("Custodian"), _("State")], bold)
        media = self.env["maintenance.equipment"].search([("ctrl_is_media", "=", True)], order="ctrl_media_number")
        states = dict(media._fields["ctrl_media_state"]._description_selection(self.env))
        for row, medium in enumerate(media, start=1):
            sheet.write_row(row, 0, [
                medium.ctrl_media_number or "", medium.name, medium.ctrl_media_type or "", medium.ctrl_content or "",
                fields.Datetime.to_string(medium.ctrl_backup_datetime) or "",
                fields.Date.to_string(medium.ctrl_first_use_date) or "",
                fields.Date.to_string(medium.ctrl_retention_until) or "",
                fields.Date.to_string(medium.ctrl_expiry_date) or "", medium.ctrl_site or "",
                medium.ctrl_location_id.name or "", medium.employee_id.name or "",
                states.get(medium.ctrl_media_state, ""),
            ])
        logs_sheet = workbook.add_worksheet(_("Backup logs"))
        logs_sheet.write_row(0, 0, [_("Plan"), _("Kind"), _("Start"), _("End"), _("Operator"), _("Method"),
                                    _("Source"), _("Size (bytes)"), _("SHA-256"), _("Result"), _("Checked by")], bold)
        for row, log in enumerate(self.env["ctrl.backup.log"].search([], limit=100000), start=1):
            logs_sheet.write_row(row, 0, [
                log.plan_id.name, log.kind, fields.Datetime.to_string(log.start) or "",
                fields.Datetime.to_string(log.end) or "", log.operator_id.name or "", log.method or "",
                log.source or "", log.size, log.sha256 or "", log.result, log.checked_by_id.name or "",
            ])
        for ws in (sheet, logs_sheet):
            ws.set_column(0, 11, 18)
        workbook.close()
        attachment = self.env["ir.attachment"].create({
            "name": _("backup-register-%(date)s.xlsx", date=fields.Date.context_today(self)),
            "raw": output.getvalue(),
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}
