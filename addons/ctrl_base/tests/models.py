# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Test models of the ctrl_base mixins, loaded by odoo_test_helper for the tests only."""
from odoo import api, fields, models


class CtrlBaseTestRecord(models.Model):
    _name = "ctrl.base.test.record"
    _description = "ctrl_base test record"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "ctrl.approval.mixin",
        "ctrl.escalation.mixin",
        "ctrl.checklist.mixin",
        "ctrl.bulk.mixin",
    ]

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    amount_total = fields.Monetary()
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    date_ref = fields.Date()
    paused = fields.Boolean()
    approved = fields.Boolean()
    rejected = fields.Boolean()
    callback_count = fields.Integer()
    ready = fields.Boolean()

    def _ctrl_on_approval_done(self, request):
        self.write({"approved": request.state == "approved", "rejected": request.state == "rejected"})

    def _ctrl_escalation_domain(self, ladder):
        return [("paused", "=", False)]

    def _ctrl_escalation_count(self, level):
        for record in self:
            record.callback_count += 1

    def _ctrl_escalation_locked(self, level):
        """Waits at most 0.2 s for an advisory lock a test may hold: a real lock timeout."""
        self.env.cr.execute("SET LOCAL lock_timeout = '200ms'")
        self.env.cr.execute("SELECT pg_advisory_xact_lock(726599)")
        self.env.cr.execute("SET LOCAL lock_timeout = 0")
        self._ctrl_escalation_count(level)

    def _ctrl_checklist_check_ready(self):
        return "" if self.ready else "the record is not ready"


class CtrlBaseTestDocument(models.Model):
    """A document with the guarded life cycle: draft, to approve, approved."""

    _name = "ctrl.base.test.document"
    _description = "ctrl_base test document"
    _inherit = ["mail.thread", "ctrl.lifecycle.mixin"]
    _ctrl_sequence_code = "ctrl.base.test.document"
    _ctrl_protected_fields = ("approved_note",)
    _ctrl_content_fields = ("amount_total", "line_ids", "partner_name")
    _ctrl_approval_kind = "test_document"

    name = fields.Char(required=True, default="/", readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_name = fields.Char()
    amount_total = fields.Monetary(compute="_compute_amount_total", store=True)
    line_ids = fields.One2many("ctrl.base.test.document.line", "document_id")
    note = fields.Text()
    approved_note = fields.Char()
    state = fields.Selection([("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved")],
                             default="draft", required=True)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for document in self:
            document.amount_total = sum(document.line_ids.mapped("amount"))

    def action_submit(self):
        return self._ctrl_submit()

    def _ctrl_on_approved(self, request):
        self._ctrl_write_protected({"approved_note": f"approved at {request.amount}"})


class CtrlBaseTestDocumentLine(models.Model):
    _name = "ctrl.base.test.document.line"
    _description = "ctrl_base test document line"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _ctrl_parent_field = "document_id"
    _ctrl_content_fields = ("name", "amount")

    document_id = fields.Many2one("ctrl.base.test.document", required=True, ondelete="cascade")
    name = fields.Char()
    amount = fields.Float()


class CtrlBaseTestRecordsXlsx(models.AbstractModel):
    """An XLSX report of test records: one sheet of names and amounts, and a second one (same header)."""

    _name = "report.ctrl_base.test_records"
    _inherit = "ctrl.xlsx.report"
    _description = "ctrl_base test XLSX report"

    def _fill_workbook(self, workbook, formats, records, data):
        sheet = workbook.add_worksheet("Records")
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [("Name", 20), ("Amount", 12), ("Date", 12)], formats)
        for record in records:
            self._ctrl_xlsx_row(sheet, row, [record.name, record.amount_total, record.date_ref], formats,
                                [None, formats["money"]])
            row += 1
        workbook.add_worksheet("Notes").write(workbook.first_row, 0, data.get("note", ""))


class CtrlBaseTestRecordsBigXlsx(models.AbstractModel):
    """The same report, written row by row to a temporary file (big sheets)."""

    _name = "report.ctrl_base.test_records_big"
    _inherit = "report.ctrl_base.test_records"
    _description = "ctrl_base test XLSX report (constant memory)"
    _ctrl_xlsx_constant_memory = True
