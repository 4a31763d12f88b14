# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import SixsCase


class TestFixedFines(SixsCase):
    """V15, V16 (seed-001 §4.1, §10 #45-#48): offences with a fixed fine per person and
    time, in a table the company may change; a ledger row books the offence's amount."""

    def fine(self, offence, employee=None, user=None, **vals):
        return self.env["ctrl.sixs.point"].with_user(user or self.inspector).create(dict({
            "area_id": self.zone1.id, "employee_id": (employee or self.worker_a).id, "reason_code": "fixed_fine",
            "offence_id": offence.id, "company_id": self.company.id}, **vals))

    def test_offence_table_holds_the_policy_amounts(self):
        amounts = {self.env.ref(f"ctrl_sixs.offence_{key}").amount for key in (
            "smoking", "visitor_smoking", "eating", "bicycle_workshop", "two_wheeler", "guest_cups", "horseplay")}
        self.assertEqual(amounts, {50.0}, "V16: 50 per person and time (§10 #45-#48)")
        self.assertTrue(self.env.ref("ctrl_sixs.offence_visitor_smoking").host_pays)
        # Users change the amounts: the data is not overwritten by an update.
        data = self.env["ir.model.data"].search([("module", "=", "ctrl_sixs"), ("name", "=", "offence_smoking")])
        self.assertTrue(data.noupdate)

    def test_fixed_fine_books_the_offence_amount(self):
        smoking = self.env.ref("ctrl_sixs.offence_smoking")
        row = self.fine(smoking)
        self.assertEqual((row.state, row.amount, row.points), ("posted", -50.0, 0.0))
        self.assertIn(smoking.name, row.name)
        # A manager raises the amount: new fines cost the new amount, the booked one keeps its own.
        smoking.with_user(self.manager).amount = 100.0
        later = self.fine(smoking, employee=self.worker_b)
        self.assertEqual((row.amount, later.amount), (-50.0, -100.0))
        # The fine goes to the month's payroll summary as a fixed fine.
        payroll = self.env["ctrl.sixs.payroll"].with_user(self.manager)._ctrl_sixs_prepare(
            self.today.replace(day=1), self.company)
        line = payroll.line_ids.filtered(lambda li: li.employee_id == self.worker_a)
        self.assertEqual(line.fine_amount, -50.0)

    def test_fixed_fine_bad_input(self):
        smoking = self.env.ref("ctrl_sixs.offence_smoking")
        Point = self.env["ctrl.sixs.point"].with_user(self.inspector)
        base = {"area_id": self.zone1.id, "employee_id": self.worker_a.id, "company_id": self.company.id}
        with self.assertRaisesRegex(ValidationError, "Offence"):
            Point.create(dict(base, reason_code="fixed_fine"))
        with self.assertRaisesRegex(ValidationError, "Employee"):
            Point.create(dict(base, reason_code="fixed_fine", offence_id=smoking.id, employee_id=False))
        with self.assertRaisesRegex(ValidationError, "fixed amount"):
            self.fine(smoking, amount=-5.0)
        with self.assertRaisesRegex(ValidationError, "Points"):
            self.fine(smoking, points=-2.0)
        with self.assertRaisesRegex(ValidationError, "Fixed fine"):
            Point.create(dict(base, reason_code="manual", offence_id=smoking.id, amount=-1.0))
        other = self.env["res.company"].create({"name": "Other 6S Co"})
        foreign = self.env["ctrl.sixs.offence"].create({"name": "Other", "code": "OTHER", "amount": 20.0,
                                                       "company_id": other.id})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self.fine(foreign.sudo())
        archived = self.env["ctrl.sixs.offence"].create({"name": "Old", "code": "OLD", "amount": 20.0,
                                                        "company_id": self.company.id, "active": False})
        with self.assertRaisesRegex(ValidationError, "archived"):
            self.fine(archived)
        with self.assertRaisesRegex(ValidationError, "above 0"):
            smoking.with_user(self.manager).amount = 0.0
        # A draft row (a bonus returned by its approver) edited into a fixed fine meets the same rules.
        draft = self.env["ctrl.sixs.point"].with_user(self.inspector).create(
            dict(base, reason_code="bonus", points=1.0, name="Shadow board"))
        draft.sudo()._ctrl_set_state("draft")  # fixture: the workshop head rejected it
        with self.assertRaisesRegex(ValidationError, "fixed amount"):
            draft.with_user(self.manager).write({"reason_code": "fixed_fine", "offence_id": smoking.id,
                                                 "points": 0.0, "amount": -1.0})
        self.assertEqual((draft.reason_code, draft.amount), ("bonus", 0.0))
        self.assertFalse(self.ledger(reason="fixed_fine"), "nothing half-written")

    def test_fixed_fine_attacked(self):
        smoking = self.env.ref("ctrl_sixs.offence_smoking")
        worker = self.worker_a.user_id
        # Only managers change the table of offences.
        for user in (worker, self.inspector):
            with self.assertRaises(AccessError):
                smoking.with_user(user).amount = 1.0
            with self.assertRaises(AccessError):
                self.env["ctrl.sixs.offence"].with_user(user).create({"name": "X", "code": "X", "amount": 1.0})
            with self.assertRaises(AccessError):
                smoking.with_user(user).unlink()
        # A user does not book fines; an inspector does not rewrite a booked one; a manager cannot either.
        with self.assertRaises(AccessError):
            self.fine(smoking, user=worker)
        row = self.fine(smoking)
        with self.assertRaises(UserError):  # AccessError is a UserError
            row.with_user(self.inspector).amount = -1.0
        for vals in ({"amount": -1.0}, {"offence_id": self.env.ref("ctrl_sixs.offence_eating").id},
                     {"employee_id": self.worker_b.id}):
            with self.assertRaises(UserError):
                row.with_user(self.manager).write(vals)
        with self.assertRaises(AccessError):
            row.with_user(self.manager).write({"state": "cancelled"})
        with self.assertRaises(UserError):
            row.with_user(self.manager).unlink()
        self.assertEqual((row.amount, row.employee_id, row.state), (-50.0, self.worker_a, "posted"))


class TestAreaGrades(SixsCase):
    """V07 (seed-001 §9 #15): each area graded from its inspection scores, on the area and
    in the rankings; the grades and thresholds are data (the policy gives none, §8)."""

    def rank_month(self):
        start = self.today.replace(day=1)
        self.env["ctrl.sixs.ranking"]._compute_rankings(start, start + relativedelta(months=1, days=-1), "month",
                                                         self.company)
        return self.env["ctrl.sixs.ranking"].search([("company_id", "=", self.company.id),
                                                     ("period_type", "=", "month"), ("period_start", "=", start)])

    def row(self, rows, scope, area):
        return rows.filtered(lambda r: r.scope == scope and r.area_id == area)

    def book_audits(self):
        # Zone 1: 98 and 88 (average 93); zone 2: 75; a clean self-check of zone 2 does not count.
        self.audit(self.zone1, findings=[(self.item1, None, 2, 1)])
        self.audit(self.zone1, findings=[(self.item2, None, 3, 4)])
        self.audit(self.zone2, findings=[(self.item2, None, 5, 5)])
        self.audit(self.zone2, tier="self_check")

    def test_grades_from_scores_on_rankings_and_areas(self):
        self.book_audits()
        rows = self.rank_month()
        grade = {key: self.env.ref(f"ctrl_sixs.grade_{key}") for key in "abcd"}
        zone1, zone2 = self.row(rows, "area", self.zone1), self.row(rows, "area", self.zone2)
        self.assertEqual((zone1.audit_score, zone1.grade_id), (93.0, grade["b"]))
        self.assertEqual((zone2.audit_score, zone2.grade_id), (75.0, grade["d"]))
        proc1, dept = self.row(rows, "process", self.proc1), self.row(rows, "department", self.dept)
        self.assertEqual((proc1.audit_score, proc1.grade_id), (93.0, grade["b"]))
        self.assertEqual((dept.audit_score, dept.grade_id), (87.0, grade["c"]))
        self.assertFalse(rows.filtered(lambda r: r.scope == "employee").grade_id)
        # On the areas: the latest graded month.
        self.env["ctrl.sixs.area"].invalidate_model()
        self.assertEqual((self.zone1.grade_id, self.zone1.grade_score), (grade["b"], 93.0))
        self.assertEqual((self.proc1.grade_id, self.dept.grade_id, self.zone2.grade_id),
                         (grade["b"], grade["c"], grade["d"]))
        self.assertEqual(self.zone1.grade_month, self.today.replace(day=1))
        # A slip drops the grade when the month is ranked again.
        self.audit(self.zone1, findings=[(self.item2, None, 5, 5)])
        rows = self.rank_month()
        self.assertEqual(self.row(rows, "area", self.zone1).grade_id, grade["c"], "(98 + 88 + 75) / 3 = 87")

    def test_company_grades_replace_the_shared_ones(self):
        self.book_audits()
        Grade = self.env["ctrl.sixs.grade"].with_user(self.manager)
        passed = Grade.create({"code": "P", "name": "Pass", "min_score": 85, "company_id": self.company.id})
        failed = Grade.create({"code": "F", "name": "Fail", "min_score": 0, "company_id": self.company.id})
        rows = self.rank_month()
        self.assertEqual((self.row(rows, "area", self.zone1).grade_id, self.row(rows, "area", self.zone2).grade_id),
                         (passed, failed))

    def test_grades_attacked_and_bad_input(self):
        self.book_audits()
        rows = self.rank_month()
        grade_a = self.env.ref("ctrl_sixs.grade_a")
        for user in (self.worker_a.user_id, self.inspector):
            with self.assertRaises(AccessError):
                grade_a.with_user(user).min_score = 0.0
            with self.assertRaises(AccessError):
                self.env["ctrl.sixs.grade"].with_user(user).create({"code": "Z", "name": "Z", "min_score": 0})
        # A ranking's grade is computed, never set by hand, not even by a manager.
        zone2 = self.row(rows, "area", self.zone2)
        with self.assertRaises(AccessError):
            zone2.with_user(self.manager).write({"grade_id": grade_a.id})
        with self.assertRaises(AccessError):
            zone2.with_user(self.manager).write({"audit_score": 100.0})
        self.assertEqual(zone2.grade_id, self.env.ref("ctrl_sixs.grade_d"))
        with self.assertRaisesRegex(ValidationError, "Lowest score"):
            self.env["ctrl.sixs.grade"].with_user(self.manager).create(
                {"code": "X", "name": "X", "min_score": 120, "company_id": self.company.id})
