# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Write-off evidence by case type (001/AR16.22) and the collection records
of a debt more than three years overdue (001/AR02.32)."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .test_collection import CollectionCase


@tagged("post_install", "-at_install")
class TestWriteoffEvidence(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        cls.finance.groups_id += cls.env.ref("ctrl_base.group_approver_finance")
        cls.preparer = cls.recv_manager
        # Provided for in full: the write-off only uses the allowance.
        cls.env["account.move"].create({
            "move_type": "entry", "date": cls.today - relativedelta(years=5), "journal_id": cls.misc_journal.id,
            "line_ids": [Command.create({"account_id": cls.expense_account.id, "debit": 9000.0}),
                         Command.create({"account_id": cls.allowance_account.id, "credit": 9000.0})],
        }).action_post()

    def _writeoff(self, case_type, overdue_days=400):
        move = self._overdue(overdue_days)
        return self.env["ctrl.writeoff"].with_user(self.preparer).create({
            "partner_id": self.customer.id, "reason": "court", "explanation": "Collection failed.",
            "date": self.today, "case_type_id": self.env.ref(f"ctrl_receivable.{case_type}").id,
            "line_ids": [Command.create({"move_id": move.id, "amount": 1000.0})],
        })

    @staticmethod
    def _attach(evidence):
        evidence.attachment_ids = [Command.create({"name": f"{evidence.name}.pdf", "raw": b"%PDF evidence",
                                                   "res_model": evidence._name, "res_id": evidence.id})]

    def _approve(self, writeoff):
        request = writeoff._ctrl_approval_requests("writeoff", ["pending"])
        for approver in (self.finance, self.gm):
            if request.state == "pending":
                request.with_user(approver).action_approve()

    def test_seed_case_types_and_their_documents(self):
        """The seed's evidence matrix, as shipped."""
        expected = {
            "writeoff_case_bankruptcy": ["Court bankruptcy or liquidation notice"],
            "writeoff_case_litigation": ["Judgment, ruling or arbitral award"],
            "writeoff_case_deregistration": ["Deregistration or licence revocation certificate"],
            "writeoff_case_death_missing": ["Police certificate"],
            "writeoff_case_force_majeure": ["Disaster statement", "Waiver declaration"],
            "writeoff_case_overdue_3y": ["Collection records"],
        }
        for xmlid, documents in expected.items():
            case_type = self.env.ref(f"ctrl_receivable.{xmlid}")
            self.assertEqual(case_type._required_document_names(), documents, xmlid)
            writeoff = self._writeoff(xmlid)
            self.assertEqual(writeoff.evidence_ids.mapped("name"), documents, xmlid)
        self.assertEqual(self.env["ctrl.writeoff"]._ctrl_collection_records_years, 3)

    def test_submission_refused_until_each_document_is_attached(self):
        writeoff = self._writeoff("writeoff_case_force_majeure")
        with self.assertRaisesRegex(UserError, "Disaster statement, Waiver declaration"):
            writeoff.action_submit()
        self._attach(writeoff.evidence_ids[0])
        with self.assertRaisesRegex(UserError, "attach Waiver declaration"):
            writeoff.action_submit()
        self.assertEqual(writeoff.state, "draft")
        self._attach(writeoff.evidence_ids[1])
        writeoff.action_submit()
        self.assertEqual(writeoff.state, "to_approve")

    def test_case_type_is_required(self):
        writeoff = self._writeoff("writeoff_case_bankruptcy")
        writeoff.case_type_id = False
        self.assertFalse(writeoff.evidence_ids)
        with self.assertRaisesRegex(UserError, "choose the case type"):
            writeoff.action_submit()

    def test_three_years_overdue_needs_the_collection_records(self):
        recent = self._writeoff("writeoff_case_bankruptcy", overdue_days=400)
        self.assertNotIn("Collection records", recent.evidence_ids.mapped("name"))
        old_days = (self.today - (self.today - relativedelta(years=3))).days + 1
        old = self._writeoff("writeoff_case_bankruptcy", overdue_days=old_days)
        self.assertEqual(old.evidence_ids.mapped("name"),
                         ["Court bankruptcy or liquidation notice", "Collection records"])
        self._attach(old.evidence_ids[0])
        with self.assertRaisesRegex(UserError, "attach Collection records"):
            old.action_submit()
        # Changing the case type keeps what is attached and drops what is empty.
        old.case_type_id = self.env.ref("ctrl_receivable.writeoff_case_death_missing")
        self.assertEqual(sorted(old.evidence_ids.mapped("name")),
                         ["Collection records", "Court bankruptcy or liquidation notice", "Police certificate"])

    def test_approved_evidence_stays(self):
        writeoff = self._writeoff("writeoff_case_litigation")
        evidence = writeoff.evidence_ids
        self._attach(evidence)
        file = evidence.attachment_ids
        writeoff.action_submit()
        # The preparer, through the calls a client makes, once submitted.
        evidence = evidence.with_user(self.preparer)
        with self.assertRaisesRegex(UserError, "withdraw|submitted|approval"):
            evidence.write({"attachment_ids": [Command.clear()]})
        with self.assertRaisesRegex(UserError, "withdraw|submitted|approval"):
            evidence.unlink()
        with self.assertRaisesRegex(UserError, "withdraw|submitted|approval"):
            self.env["ctrl.writeoff.evidence"].with_user(self.preparer).create(
                {"writeoff_id": writeoff.id, "name": "Something else"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            file.with_user(self.preparer).unlink()
        with self.assertRaisesRegex(UserError, "withdraw|submitted|approval"):
            writeoff.with_user(self.preparer).write({"case_type_id": self.env.ref(
                "ctrl_receivable.writeoff_case_overdue_3y").id})
        self._approve(writeoff)
        self.assertEqual(writeoff.state, "posted")
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            file.with_user(self.recv_manager).unlink()
        self.assertTrue(file.exists())
        self.assertEqual(writeoff.evidence_ids.attachment_ids, file)

    def test_wrong_users(self):
        writeoff = self._writeoff("writeoff_case_litigation")
        outsider = new_test_user(self.env, "recv_outsider", groups="base.group_user",
                                 company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        with self.assertRaises(AccessError):
            writeoff.evidence_ids.with_user(outsider).write({"attachment_ids": [Command.clear()]})
        with self.assertRaises(AccessError):
            self.env["ctrl.writeoff.case.type"].with_user(self.recv_user).create(
                {"name": "Lenient", "required_documents": "Nothing much"})
        # A company adds its own type; its documents are required in turn.
        restructuring = self.env["ctrl.writeoff.case.type"].with_user(self.recv_manager).create(
            {"name": "Restructuring", "required_documents": "Restructuring agreement\nDebtor's tax statement",
             "company_id": self.company.id})
        writeoff.case_type_id = restructuring
        with self.assertRaisesRegex(UserError, "Restructuring agreement, Debtor's tax statement"):
            writeoff.with_user(self.preparer).action_submit()
        # An evidence line attached but not required still leaves the required ones to attach.
        self.assertEqual(len(writeoff.evidence_ids), 2)
        self.assertEqual(writeoff.date, self.today - timedelta(days=0))
