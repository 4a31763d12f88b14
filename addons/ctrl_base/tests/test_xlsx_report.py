# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CtrlBaseCase, CtrlXlsxMixin


@tagged("post_install", "-at_install")
class TestXlsxReport(CtrlXlsxMixin, CtrlBaseCase, HttpCase):
    """Issue #21: one mechanism for the XLSX exports, reports of type XLSX
    drawn by ``report.<report_name>`` (ctrl.xlsx.report) as the user who prints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls._xlsx_report("ctrl_base.test_records")
        cls.outsider = new_test_user(cls.env, "ctrl_outsider", groups="base.group_user")
        cls.records = cls.Record.create([
            {"name": "Alpha", "amount_total": 1234.5, "date_ref": "2027-01-31"},
            {"name": "Beta", "amount_total": 10.0},
        ])

    @classmethod
    def _xlsx_report(cls, report_name, **vals):
        return cls.env["ir.actions.report"].create({
            "name": "Test records", "model": "ctrl.base.test.record", "report_type": "xlsx",
            "report_name": report_name, "print_report_name": "'records-%s-%s' % (len(object), today)",
            "groups_id": [Command.link(cls.env.ref("ctrl_base.group_ctrl_user").id)], **vals,
        })

    def _today(self, user):
        return fields.Date.context_today(self.env["res.users"].with_user(user))

    def test_each_sheet_opens_with_the_header(self):
        book = self.render_xlsx(self.report, self.records.ids, self.clerk, data={"note": "Checked by the auditor"})
        self.assertEqual(book.sheetnames, ["Records", "Notes"])
        self.assertXlsxHeader(book, self.clerk, self.company, {"Records": "Alpha, Beta"})
        table = self.xlsx_table(book["Records"])
        self.assertEqual(table[0], ("Name", "Amount", "Date"))
        self.assertEqual(table[1], ("Alpha", 1234.5, datetime(2027, 1, 31)))
        self.assertEqual(table[2], ("Beta", 10.0))
        self.assertEqual(self.xlsx_table(book["Notes"]), [("Checked by the auditor",)])

    def test_money_has_the_decimals_of_the_company_currency(self):
        book = self.render_xlsx(self.report, self.records[:1].ids, self.clerk)
        sheet = book["Records"]
        amount = next(row[1] for row in sheet.iter_rows() if row[0].value == "Alpha")
        self.assertEqual(amount.number_format, "#,##0.00")
        yen = self.env.ref("base.JPY")
        yen.active = True
        company = self.env["res.company"].create({"name": "Yen Company", "currency_id": yen.id})
        self.clerk.company_ids += company
        record = self.Record.create({"name": "Gamma", "amount_total": 5000, "company_id": company.id})
        book = self.render_xlsx(self.report, record.ids, self.clerk)
        self.assertXlsxHeader(book, self.clerk, company)
        amount = next(row[1] for row in book["Records"].iter_rows() if row[0].value == "Gamma")
        self.assertEqual((amount.value, amount.number_format), (5000, "#,##0"))

    def test_the_report_groups_and_the_users_record_access_apply(self):
        with self.assertRaisesRegex(AccessError, "Test records is for .*Internal Control"):
            self.render_xlsx(self.report, self.records.ids, self.outsider)
        # Clerks read only their own records here: printing another's is refused, as reading it is.
        self.env["ir.rule"].create({
            "name": "test records: own", "model_id": self.model.id, "domain_force": "[('user_id', '=', user.id)]",
            "groups": [Command.link(self.env.ref("ctrl_base.group_ctrl_user").id)],
        })
        with self.assertRaises(AccessError):
            self.render_xlsx(self.report, self.records.ids, self.clerk)
        own = self.Record.with_user(self.clerk).create({"name": "Mine"})
        table = self.xlsx_table(self.render_xlsx(self.report, own.ids, self.clerk)["Records"])
        self.assertEqual([row[0] for row in table[1:]], ["Mine"])
        # A server job (superuser) prints for everyone.
        content, kind = self.env["ir.actions.report"].sudo()._render_xlsx(self.report, self.records.ids)
        self.assertEqual(kind, "xlsx")
        self.assertTrue(content.startswith(b"PK"))

    def test_report_action_prints_exactly_the_given_records(self):
        self.company.external_report_layout_id = False  # a PDF would first ask an administrator for a layout
        admin = self.env.ref("base.user_admin")
        report = self.report.with_user(admin).with_context(active_model="res.partner", active_ids=[admin.partner_id.id])
        action = report.report_action(self.records)
        self.assertEqual((action["type"], action["report_type"], action["report_name"]),
                         ("ir.actions.report", "xlsx", "ctrl_base.test_records"))
        self.assertEqual((action["context"]["active_model"], action["context"]["active_ids"]),
                         ("ctrl.base.test.record", self.records.ids))
        self.assertEqual(report.report_action([])["context"]["active_ids"], [])

    def test_only_xlsx_reports_drawn_by_their_model(self):
        pdf = self.env["ir.actions.report"].create({
            "name": "PDF records", "model": "ctrl.base.test.record", "report_name": "ctrl_base.no_template"})
        with self.assertRaisesRegex(UserError, "PDF records is not a spreadsheet report"):
            self.render_xlsx(pdf, self.records.ids, self.clerk)
        orphan = self._xlsx_report("ctrl_base.no_such_report")
        with self.assertRaisesRegex(UserError, "its report model is missing"):
            self.render_xlsx(orphan, self.records.ids, self.clerk)

    def test_big_sheets_in_constant_memory(self):
        report = self._xlsx_report("ctrl_base.test_records_big")
        book = self.render_xlsx(report, self.records.ids, self.clerk)
        self.assertXlsxHeader(book, self.clerk, self.company, {"Records": "Alpha, Beta"})
        self.assertEqual([row[:2] for row in self.xlsx_table(book["Records"])[1:]], [("Alpha", 1234.5), ("Beta", 10.0)])

    def test_a_copy_stays_on_the_printed_record(self):
        self.report.attachment = "'copy-%s' % object.name"
        self.render_xlsx(self.report, self.records[:1].ids, self.clerk)
        copies = self.env["ir.attachment"].search([("res_model", "=", self.Record._name),
                                                   ("res_id", "in", self.records.ids)])
        self.assertEqual(copies.mapped("name"), ["copy-Alpha.xlsx"])
        self.assertEqual(copies.mimetype, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    # HTTP: as the web client downloads ---------------------------------------------------------
    def test_download_as_the_user(self):
        book, filename = self.downloaded_xlsx(self.report, self.records.ids, "ctrl_clerk",
                                              data={"note": "From the client"})
        self.assertEqual(filename, f"records-2-{self._today(self.clerk)}.xlsx")
        self.assertXlsxHeader(book, self.clerk, self.company, {"Records": "Alpha, Beta"})
        self.assertEqual([row[0] for row in self.xlsx_table(book["Records"])[1:]], ["Alpha", "Beta"])
        self.assertEqual(self.xlsx_table(book["Notes"]), [("From the client",)])

    def test_download_refused(self):
        self.assertXlsxRefused(self.download_xlsx(self.report, self.records.ids, "ctrl_outsider"))
        orphan = self._xlsx_report("ctrl_base.no_such_report")
        self.assertXlsxRefused(self.download_xlsx(orphan, self.records.ids, "ctrl_clerk"),
                               "odoo.exceptions.UserError", 400)
        self.authenticate("ctrl_clerk", "ctrl_clerk")
        self.assertEqual(self.url_open("/ctrl_base/report/xlsx/ctrl_base.unknown").status_code, 404)

    def test_web_client_downloads_xlsx_reports(self):
        """The web client's handler (ctrl_base/static/src) downloads an XLSX
        report action through the route, as the logged-in user."""
        self.report.attachment = "'web-%s' % object.name"
        record = self.records[0]
        code = """(async () => {
            const env = odoo.__WOWL_DEBUG__.root.env;
            await env.services.action.doAction({
                type: "ir.actions.report", report_type: "xlsx", report_name: "ctrl_base.test_records",
                context: {active_model: "ctrl.base.test.record", active_ids: [%s]},
            });
            console.log("test successful");
        })().catch((error) => console.error("XLSX download failed: " + (error.message || error)));""" % record.id
        self.browser_js("/odoo", code, ready="odoo.isReady", login="ctrl_clerk")
        copy = self.env["ir.attachment"].search([("res_model", "=", self.Record._name), ("res_id", "=", record.id)])
        self.assertEqual(copy.name, "web-Alpha.xlsx")
        self.assertEqual(copy.create_uid, self.clerk, "drawn as the clerk who clicked")
