# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlXlsxMixin

from .common import CtrlBackupCase


# An HttpCase so that wkhtmltopdf, rendering the PDF, reads the report assets on the
# test's own cursor: a separate transaction would wait on the test (odoo-bin -i runs).
@tagged("post_install", "-at_install")
class TestMedia(CtrlXlsxMixin, CtrlBackupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env.ref("ctrl_backup.equipment_category_backup_media")
        cls.location = cls.env["ctrl.backup.location"].create({"name": "Safe A", "custodian_id": cls.operator.id})
        cls.borrower = new_test_user(cls.env, "bk_borrower", groups="base.group_user")
        cls.witness1 = new_test_user(cls.env, "bk_witness1", groups="base.group_user")
        cls.witness2 = new_test_user(cls.env, "bk_witness2", groups="base.group_user")

    def _media(self, **vals):
        return self.env["maintenance.equipment"].with_user(self.operator).create({
            "name": "Finance archive disc", "category_id": self.category.id, "ctrl_media_type": "optical",
            "ctrl_content": "Finance 2025-12", "ctrl_backup_datetime": "2026-01-01 18:00:00",
            "ctrl_first_use_date": "2026-01-02", "ctrl_location_id": self.location.id, **vals,
        }).with_user(self.env.user)

    # ------------------------------------------------------------------ register
    def test_media_number_expiry_and_inspection(self):
        media = self._media()
        self.assertTrue(media.ctrl_is_media)
        self.assertTrue(media.ctrl_media_number.startswith("BKM-"))
        self.assertEqual(media.ctrl_expiry_date, date(2029, 1, 2))
        self.assertIn(media.ctrl_media_number, media.display_name)
        inspection = media.ctrl_inspection_id
        self.assertEqual(inspection.maintenance_type, "preventive")
        self.assertTrue(inspection.recurring_maintenance)
        self.assertEqual((inspection.repeat_interval, inspection.repeat_unit), (180, "day"))
        # The life is a setting.
        self.env["ir.config_parameter"].sudo().set_param("ctrl_backup.media_life_years", 5)
        other = self._media(ctrl_first_use_date="2026-01-02")
        self.assertEqual(other.ctrl_expiry_date, date(2031, 1, 2))
        self.assertNotEqual(other.ctrl_media_number, media.ctrl_media_number)
        # Plain equipment gets none of it.
        plain = self.env["maintenance.equipment"].create({"name": "Printer"})
        self.assertFalse(plain.ctrl_media_number or plain.ctrl_inspection_id)

    def test_done_inspection_starts_location_checklist(self):
        media = self._media()
        done_stage = self.env["maintenance.stage"].search([("done", "=", True)], limit=1)
        media.ctrl_inspection_id.stage_id = done_stage
        checklist = self.location.ctrl_checklist_ids.filtered(lambda c: c.code == "backup_location")
        self.assertEqual(len(checklist), 1)
        self.assertEqual(set(checklist.line_ids.mapped("code")),
                         {"fire", "water", "damp", "magnetism", "theft", "rodents"})
        # The next half-yearly inspection is scheduled by maintenance's recurrence.
        followers = self.env["maintenance.request"].search([("equipment_id", "=", media.id),
                                                            ("maintenance_type", "=", "preventive")])
        self.assertEqual(len(followers), 2)

    def test_damaged_opens_replacement_and_destruction(self):
        media = self._media()
        media.with_user(self.operator).action_ctrl_report_damaged()
        self.assertEqual(media.ctrl_media_state, "damaged")
        replacement = self.env["maintenance.request"].search([("equipment_id", "=", media.id),
                                                              ("maintenance_type", "=", "corrective")])
        self.assertEqual(len(replacement), 1)
        self.assertEqual(media.ctrl_destruction_ids.reason, "damaged")
        self.assertEqual(media.ctrl_destruction_ids.state, "draft")

    def test_workflow_states_not_set_by_hand(self):
        media = self._media()
        with self.assertRaisesRegex(AccessError, "not by hand"):
            media.with_user(self.manager).ctrl_media_state = "destroyed"
        self.assertEqual(media.ctrl_media_state, "in_store")

    def test_expiry_ladder_transfer_activity_then_expired(self):
        media = self._media(ctrl_first_use_date="2023-03-01")
        ladder = self.env.ref("ctrl_backup.escalation_ladder_media_expiry")
        expiry = media.ctrl_expiry_date
        ladder._run_all(today=expiry - timedelta(days=30))
        activity = media.activity_ids.filtered(lambda a: "Transfer" in (a.summary or ""))
        self.assertEqual(activity.user_id, self.operator)  # the cabinet's custodian
        self.assertEqual(media.ctrl_media_state, "in_store")
        ladder._run_all(today=expiry)
        self.assertEqual(media.ctrl_media_state, "expired")
        ladder._run_all(today=expiry)
        self.assertEqual(len(media.activity_ids.filtered(lambda a: "Transfer" in (a.summary or ""))), 1)

    def test_label_report_renders(self):
        media = self._media()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "ctrl_backup.report_media_label", media.ids)[0].decode()
        self.assertIn(media.ctrl_media_number, html)
        self.assertIn("Finance 2025-12", html)

    def test_xlsx_export_of_register_and_logs(self):
        """Issue #21: the register is an XLSX report, for Backup operators only (checked on the server)."""
        media = self._media()
        plan = self._plan()
        self.env["ctrl.backup.log"].create({"plan_id": plan.id, "result": "done", "sha256": "cd" * 32,
                                            "end": fields.Datetime.now()})
        action = self.env["ctrl.backup.export"].with_user(self.operator).action_export_xlsx()
        self.assertEqual((action["type"], action["report_type"]), ("ir.actions.report", "xlsx"))
        rendered = self.render_xlsx(action["report_name"], [], self.operator)
        downloaded, filename = self.downloaded_xlsx(action["report_name"], [], "bk_operator")
        today = fields.Date.context_today(self.env["res.users"].with_user(self.operator))
        self.assertEqual(filename, f"backup-register-{today}.xlsx")
        for book in (rendered, downloaded):
            self.assertEqual(book.sheetnames, ["Media register", "Backup logs"])
            self.assertXlsxHeader(book, self.operator, self.env.company,
                                  {"Listed": "All backup media; the latest 100000 backup logs"})
            register, logs = (self.xlsx_table(sheet) for sheet in book.worksheets)
            self.assertEqual((register[0][0], logs[0][8]), ("Media number", "SHA-256"))
            self.assertIn((media.ctrl_media_number, "Finance archive disc"), [row[:2] for row in register[1:]])
            self.assertIn(("ERP daily", "cd" * 32), [(row[0], row[8]) for row in logs[1:]])
        with self.assertRaisesRegex(AccessError, "Only Backup operators"):
            self.env["ctrl.backup.export"].with_user(self.borrower).action_export_xlsx()
        with self.assertRaises(AccessError):
            self.render_xlsx(action["report_name"], [], self.borrower)
        self.assertXlsxRefused(self.download_xlsx(action["report_name"], [], "bk_borrower"))

    def test_access_media(self):
        media = self._media()
        self.assertEqual(self.env["maintenance.equipment"].with_user(self.operator).search(
            [("id", "=", media.id)]), media)
        with self.assertRaises(AccessError):
            media.with_user(self.borrower).write({"ctrl_content": "x"})
        with self.assertRaises(AccessError):
            media.with_user(self.operator).unlink()

    # ------------------------------------------------------------------ loans
    def _loan(self, media, **vals):
        return self.env["ctrl.backup.loan"].with_user(self.operator).create({
            "media_id": media.id, "borrower_id": self.borrower.id, "purpose": "Audit of 2025 ledgers", **vals,
        }).with_user(self.env.user)

    def test_loan_workflow_gm_approval_both_sign(self):
        media = self._media()
        loan = self._loan(media)
        loan.with_user(self.operator).action_submit()
        self.assertEqual(loan.state, "to_approve")
        request = loan.ctrl_approval_ids
        with self.assertRaises(AccessError):
            request.with_user(self.it_head).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(loan.state, "approved")
        loan.with_user(self.operator).action_issue()
        self.assertEqual(media.ctrl_media_state, "on_loan")
        with self.assertRaisesRegex(UserError, "sign after the return"):
            loan.with_user(self.borrower).action_borrower_sign()
        loan.with_user(self.operator).action_return("intact")
        self.assertEqual(loan.state, "issued")  # the borrower has not signed yet
        with self.assertRaisesRegex(UserError, "only the borrower"):
            loan.with_user(self.checker).action_borrower_sign()
        loan.with_user(self.borrower).action_borrower_sign()
        self.assertEqual(loan.state, "returned")
        self.assertEqual(media.ctrl_media_state, "in_store")
        self.assertEqual(loan.checked_by_id, self.operator)
        self.assertTrue(loan.admin_signed_on and loan.borrower_signed_on)

    def test_loan_without_approval_refused(self):
        media = self._media()
        loan = self._loan(media)
        with self.assertRaisesRegex(UserError, "not approved"):
            loan.with_user(self.operator).action_issue()
        loan.with_user(self.operator).action_submit()
        with self.assertRaisesRegex(UserError, "not approved"):
            loan.with_user(self.operator).action_issue()
        self.assertEqual(media.ctrl_media_state, "in_store")

    def test_return_of_never_lent_media_refused(self):
        media = self._media()
        loan = self._loan(media)
        with self.assertRaisesRegex(UserError, "never lent"):
            loan.with_user(self.operator).action_return("intact")
        self.assertFalse(loan.returned_on)

    def test_loan_returned_damaged_starts_destruction(self):
        media = self._media()
        loan = self._loan(media)
        loan.action_submit()
        self._approve(loan, [self.gm])
        loan.with_user(self.operator).action_issue()
        loan.with_user(self.operator).action_return("damaged")
        self.assertEqual(media.ctrl_media_state, "damaged")
        self.assertEqual(media.ctrl_destruction_ids.reason, "damaged")

    def test_overdue_loan_escalates(self):
        media = self._media()
        loan = self._loan(media)
        loan.action_submit()
        self._approve(loan, [self.gm])
        loan.with_user(self.operator).action_issue()
        ladder = self.env.ref("ctrl_backup.escalation_ladder_loan_overdue")
        ladder._run_all(today=loan.date_due)
        self.assertFalse(loan.activity_ids)
        ladder._run_all(today=loan.date_due + timedelta(days=1))
        self.assertEqual(loan.activity_ids.user_id, self.borrower)
        ladder._run_all(today=loan.date_due + timedelta(days=5))
        self.assertIn(self.manager, loan.activity_ids.user_id)

    def test_loan_bad_due_date_and_borrower_access(self):
        media = self._media()
        with self.assertRaisesRegex(ValidationError, "due date is in the past"):
            self._loan(media, date_due=fields.Date.today() - timedelta(days=1))
        loan = self._loan(media)
        self.assertEqual(self.env["ctrl.backup.loan"].with_user(self.borrower).search([]), loan)
        with self.assertRaises(AccessError):
            loan.with_user(self.borrower).action_issue()

    def test_departure_item_waits_for_media(self):
        employee = self.env["hr.employee"].create({"name": "Borrower", "user_id": self.borrower.id})
        media = self._media()
        loan = self._loan(media)
        loan.action_submit()
        self._approve(loan, [self.gm])
        loan.with_user(self.operator).action_issue()
        self.assertIn("still holds backup media", employee._ctrl_checklist_check_media_returned())

    # ------------------------------------------------------------------ destruction
    def _destruction(self, media, **vals):
        return self.env["ctrl.backup.destruction"].with_user(self.operator).create({
            "media_id": media.id, "reason": "expired", "operation": "destroy", "method": "shred",
            "handed_over_by_id": self.operator.id, "received_by_id": self.checker.id, **vals,
        }).with_user(self.env.user)

    def test_destruction_workflow_witnesses_and_certificate(self):
        media = self._media()
        destruction = self._destruction(media, witness_ids=[(6, 0, [self.witness1.id])])
        destruction.with_user(self.operator).action_submit()
        self.assertEqual(destruction.ctrl_approval_ids.kind, "backup_destruction")
        self._approve(destruction, [self.it_head])
        self.assertEqual(destruction.state, "approved")
        with self.assertRaisesRegex(UserError, "at least 2 distinct witnesses"):
            destruction.with_user(self.operator).action_done()
        self.assertEqual(media.ctrl_media_state, "in_store")
        destruction.witness_ids = [(4, self.witness2.id)]
        with self.assertRaisesRegex(UserError, "must sign"):
            destruction.with_user(self.operator).action_done()
        self._witnesses_sign(destruction)
        destruction.with_user(self.operator).action_done()
        self.assertEqual(destruction.state, "done")
        self.assertEqual(media.ctrl_media_state, "destroyed")
        self.assertTrue(media.scrap_date)
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "ctrl_backup.report_destruction_certificate", destruction.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        html = self.env["ir.actions.report"]._render_qweb_html(
            "ctrl_backup.report_destruction_certificate", destruction.ids)[0].decode()
        self.assertIn(self.witness2.name, html)
        self.assertIn(self.it_head.name, html)

    def _witnesses_sign(self, destruction):
        for witness in destruction.witness_ids:
            destruction.with_user(witness).action_witness_sign()

    def test_destruction_without_approval_refused(self):
        media = self._media()
        destruction = self._destruction(media, witness_ids=[(6, 0, [self.witness1.id, self.witness2.id])])
        with self.assertRaisesRegex(UserError, "not approved yet"):
            destruction.with_user(self.operator).action_done()

    def test_destruction_within_retention_needs_exception(self):
        media = self._media(ctrl_retention_until=fields.Date.today() + timedelta(days=365))
        destruction = self._destruction(media, witness_ids=[(6, 0, [self.witness1.id, self.witness2.id])])
        self.assertTrue(destruction.within_retention)
        with self.assertRaisesRegex(UserError, "Exception reason"):
            destruction.action_submit()
        with self.assertRaisesRegex(UserError, "within its retention"):
            destruction.with_user(self.operator).action_done()
        destruction.exception_reason = "Disc unreadable; data already migrated to BKM-0002"
        destruction.with_user(self.operator).action_submit()
        self.assertEqual(destruction.ctrl_approval_ids.kind, "backup_destruction_exception")
        self._approve(destruction, [self.it_head])
        with self.assertRaisesRegex(UserError, "within its retention"):
            destruction.with_user(self.operator).action_done()
        self._approve(destruction, [self.gm])
        self._witnesses_sign(destruction)
        destruction.with_user(self.operator).action_done()
        self.assertEqual(media.ctrl_media_state, "destroyed")

    def test_classified_media_must_be_made_unreadable(self):
        media = self._media(ctrl_classification="confidential")
        destruction = self._destruction(media, operation="wipe", method="overwrite",
                                        witness_ids=[(6, 0, [self.witness1.id, self.witness2.id])])
        destruction.action_submit()
        self._approve(destruction, [self.it_head])
        self._witnesses_sign(destruction)
        with self.assertRaisesRegex(UserError, "unreadable"):
            destruction.with_user(self.operator).action_done()
        destruction.data_unreadable = True
        destruction.with_user(self.operator).action_done()
        self.assertEqual(media.ctrl_media_state, "wiped")
