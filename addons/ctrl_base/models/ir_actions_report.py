# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval, time


class IrActionsReport(models.Model):
    """Reports of type XLSX: printed like any report (Print menu, a button's
    ``report_action``), drawn by the model ``report.<report_name>`` that
    inherits ``ctrl.xlsx.report``, downloaded by the web client through
    ``/ctrl_base/report/xlsx/<report_name>/<ids>``."""

    _inherit = "ir.actions.report"

    report_type = fields.Selection(selection_add=[("xlsx", "XLSX")], ondelete={"xlsx": "cascade"})

    @api.model
    def _render_xlsx(self, report_ref, res_ids, data=None):
        """(bytes, "xlsx") of the XLSX report ``report_ref`` for the records
        ``res_ids``, drawn as the current user: the report's groups and the
        read access to the records are checked first, then the report's own checks."""
        report = self._get_report(report_ref)
        if report.report_type != "xlsx":
            raise UserError(_("%(report)s is not a spreadsheet report.", report=report.name))
        builder = self.env.get(f"report.{report.report_name}")
        if builder is None or not hasattr(builder, "_ctrl_xlsx_render"):  # not a ctrl.xlsx.report
            raise UserError(_("%(report)s cannot be drawn: its report model is missing. Update the module "
                              "that provides it.", report=report.name))
        report._ctrl_xlsx_check_groups(self.env.user if not self.env.su else None)
        records = self.env[report.model].browse(self._ctrl_report_ids(res_ids))
        if records:
            records.check_access("read")
        content = builder._ctrl_xlsx_render(records, dict(data or {}))
        if report.attachment and len(records) == 1:
            report._ctrl_xlsx_keep_copy(records, content)
        return content, "xlsx"

    def _ctrl_xlsx_check_groups(self, user):
        """Only the report's groups print it (``user`` None: a server job)."""
        self.ensure_one()
        if user and self.groups_id and not self.groups_id & user.groups_id:
            raise AccessError(_("%(report)s is for %(groups)s only.", report=self.name,
                                groups=", ".join(self.groups_id.mapped("full_name"))))

    def _ctrl_xlsx_keep_copy(self, record, content):
        """Keep the file on the record's chatter attachments (the report's
        *Save as Attachment Prefix*): the trace of what was handed over.
        The user's read access to the record was checked before."""
        self.ensure_one()
        name = safe_eval(self.attachment, {"object": record, "time": time})
        if name:
            self.env["ir.attachment"].sudo().create({
                "name": f"{name}.xlsx", "raw": content, "res_model": record._name, "res_id": record.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            })

    def _ctrl_xlsx_filename(self, records):
        """The download's file name: the report's *Printed Report Name* (with
        ``object``, ``time`` and ``today``, the user's date), else its name."""
        self.ensure_one()
        name = self.name
        if self.print_report_name:
            name = safe_eval(self.print_report_name, {
                "object": records, "time": time, "today": fields.Date.context_today(records),
            }) or name
        return f"{name}.xlsx"

    @api.model
    def _ctrl_report_ids(self, docids):
        if not docids:
            return []
        if isinstance(docids, models.BaseModel):
            return docids.ids
        if isinstance(docids, int):
            return [docids]
        return list(docids)

    def report_action(self, docids, data=None, config=True):
        """An XLSX report needs no document layout, and prints exactly ``docids``
        (not the ids the caller's context may hold for another model)."""
        if self.report_type != "xlsx":
            return super().report_action(docids, data=data, config=config)
        action = super().report_action(docids, data=data, config=False)
        action["context"] = dict(action["context"] or {}, active_model=self.model,
                                 active_ids=self._ctrl_report_ids(docids))
        return action
