# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Controls that hold against their own users: each test replays an attack a client
made over RPC (its own groups, any context key, public methods, create/write/unlink)
and checks that it is refused and that nothing was half-written."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PHOTO, SixsCase


@tagged("post_install", "-at_install")
class TestAttacks(SixsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.director = new_test_user(cls.env, "sixs_att_dir", groups="ctrl_sixs.group_sixs_admin_director",
                                     **company_vals)
        cls.quality = new_test_user(cls.env, "sixs_att_qd", groups="ctrl_sixs.group_sixs_quality_director",
                                    **company_vals)
        # The audited party: an employee of Zone 1 with the 6S user group only.
        cls.audited = cls.worker_a.user_id
        cls.day = cls.today.replace(day=1) - relativedelta(months=1) + timedelta(days=2)

    def published(self):
        audit = self.audit(self.zone1, day=self.day, findings=[(self.item1, self.worker_a, 3, 3)])
        return audit, audit.line_ids.filtered(lambda li: li.result == "nok")

    # ------------------------------------------------------------------
    # 1. points=0 on a published finding
    # ------------------------------------------------------------------
    def test_audited_party_cannot_zero_a_published_finding(self):
        audit, finding = self.published()
        row = self.ledger(self.worker_a)
        self.assertEqual((finding.points, audit.total_points, row.points), (3.0, 3.0, -3.0))
        line = finding.with_user(self.audited)
        for vals in ({"points": 0}, {"repeat_number": 0, "points": 0.0}, {"duty_officer": True}):
            with self.assertRaises(AccessError):
                line.write(vals)
        with self.assertRaisesRegex(UserError, "appeal a finding instead"):
            line.write({"result": "ok"})
        with self.assertRaisesRegex(UserError, "appeal a finding instead"):
            line.with_context(ctrl_sixs_no_lines=True).write({"deduction": 2, "count": 1})
        with self.assertRaises(AccessError):
            audit.with_user(self.audited).write({"total_points": 0.0})
        with self.assertRaises(UserError):
            row.with_user(self.audited).write({"points": 0.0})
        # Not even the manager rewrites a posted ledger row: an appeal or a correcting row does it.
        with self.assertRaisesRegex(UserError, "can only change while it is a draft"):
            row.with_user(self.manager).write({"points": 0.0})
        with self.assertRaises(UserError):
            row.with_user(self.manager).unlink()
        self.assertEqual((finding.points, finding.result, audit.total_points, row.points, row.state),
                         (3.0, "nok", 3.0, -3.0, "posted"))

    # ------------------------------------------------------------------
    # 2. deleting lines of a published audit, and the audit itself
    # ------------------------------------------------------------------
    def test_inspector_cannot_delete_lines_of_a_published_audit(self):
        audit, finding = self.published()
        lines = audit.line_ids
        with self.assertRaisesRegex(UserError, "can only change while it is a draft"):
            finding.with_user(self.inspector).unlink()
        with self.assertRaises(UserError):
            lines.with_user(self.inspector).unlink()
        with self.assertRaises(UserError):
            audit.with_user(self.inspector).write({"line_ids": [Command.unlink(finding.id)]})
        with self.assertRaises(UserError):
            self.env["ctrl.sixs.audit.line"].with_user(self.inspector).create({
                "audit_id": audit.id, "item_id": self.item1.id, "result": "ok"})
        self.assertEqual(audit.line_ids, lines)
        self.assertEqual(finding.points, 3.0)

    def test_lines_frozen_from_sign_off(self):
        audit = self.audit(self.zone1, day=self.day, publish=False, user=self.inspector)
        audit.with_user(self.inspector).action_done()
        with self.assertRaisesRegex(UserError, "is Done: .* can only change while it is a draft"):
            audit.line_ids[:1].with_user(self.inspector).unlink()
        with self.assertRaises(UserError):
            audit.line_ids[:1].with_user(self.inspector).write({"result": "nok", "employee_id": self.worker_a.id})
        self.assertEqual(set(audit.line_ids.mapped("result")), {"ok"})

    def test_manager_cannot_delete_a_published_audit(self):
        audit, finding = self.published()
        with self.assertRaisesRegex(UserError, "has left draft and cannot be deleted"):
            audit.with_user(self.manager).unlink()
        self.assertTrue(audit.exists())
        self.assertTrue(finding.exists())
        self.assertEqual(audit.state, "published")

    # ------------------------------------------------------------------
    # 3. audit state and results over RPC
    # ------------------------------------------------------------------
    def test_audit_state_and_results_not_writable(self):
        Audit = self.env["ctrl.sixs.audit"].with_user(self.audited)
        check = Audit.create({"area_id": self.zone1.id, "tier": "self_check", "scheduled_date": self.day})
        forged = {"state": "published", "published_by_id": self.manager.id, "date_done": "2026-01-01 08:00:00",
                  "confirmed_by_id": self.manager.id, "total_points": 99.0, "name": "6S/FAKE"}
        for field, value in forged.items():
            with self.assertRaises(AccessError):
                check.write({field: value})
            with self.assertRaises(AccessError):
                Audit.create({"area_id": self.zone1.id, "tier": "self_check", field: value})
        self.assertEqual((check.state, check.published_by_id.id, check.date_done), ("draft", False, False))
        self.assertNotEqual(check.name, "6S/FAKE")
        # The manager neither: a published audit is not reopened by a write.
        audit, _finding = self.published()
        with self.assertRaises(AccessError):
            audit.with_user(self.manager).write({"state": "draft"})
        with self.assertRaisesRegex(UserError, "this step needs it done / confirmed"):
            audit.with_user(self.manager).action_reset_draft()
        # The buttons check the caller.
        check.line_ids.with_user(self.audited).write({"result": "ok"})
        check.with_user(self.audited).action_done()
        check.with_user(self.audited).action_confirm()
        with self.assertRaisesRegex(AccessError, "managers publish"):
            check.with_user(self.inspector).action_publish()
        with self.assertRaisesRegex(AccessError, "managers reopen"):
            check.with_user(self.audited).action_reset_draft()
        self.assertEqual((audit.state, check.state), ("published", "confirmed"))
        # An inspection is the inspector's: the audited party neither answers nor signs it.
        inspection = self.audit(self.zone1, day=self.day, publish=False, user=self.inspector)
        with self.assertRaisesRegex(AccessError, "Only 6S inspectors answer"):
            inspection.line_ids[:1].with_user(self.audited).write({"result": "na"})
        with self.assertRaisesRegex(AccessError, "inspectors create inspections"):
            check.with_user(self.audited).write({"tier": "routine"})
        with self.assertRaisesRegex(AccessError, "Only a 6S inspector signs off"):
            inspection.with_user(self.audited).action_done()
        self.assertEqual(inspection.state, "draft")

    def test_inspector_answers_an_audit_in_progress(self):
        audit = self.env["ctrl.sixs.audit"].with_user(self.inspector).create({
            "area_id": self.zone1.id, "tier": "routine", "scheduled_date": self.day})
        self.assertTrue(audit.name.startswith("6S/"))
        self.assertEqual(audit.line_ids.item_id, self.item1 | self.item2)
        first, second = audit.line_ids
        first.write({"result": "nok", "employee_id": self.worker_a.id, "deduction": 4, "count": 1, "note": "Boxes",
                     "photo": PHOTO})
        second.result = "ok"
        with self.assertRaises(AccessError):
            first.write({"points": 1.0})
        self.assertEqual((audit.finding_count, audit.unanswered_count, audit.total_points), (1, 0, 4.0))
        audit.with_user(self.inspector).action_done()
        self.assertEqual((audit.state, audit.inspector_id), ("done", self.inspector))
        audit.with_user(self.audited).action_confirm()
        self.assertEqual(audit.confirmed_by_id, self.audited)
        audit.with_user(self.manager).action_publish()
        # Published: an employee's first offence on the item this week costs the repeat ladder's 1 point.
        self.assertEqual((audit.state, audit.published_by_id, first.points), ("published", self.manager, 1.0))

    # ------------------------------------------------------------------
    # 4. the other workflows
    # ------------------------------------------------------------------
    def test_award_state_and_content(self):
        start = self.today.replace(day=1)
        award = self.env["ctrl.sixs.award"].with_user(self.manager).create({
            "award_type": "advanced_individual", "employee_id": self.worker_c.id, "period_start": start,
            "period_end": start + timedelta(days=27)})
        with self.assertRaises(AccessError):
            award.write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["ctrl.sixs.award"].with_user(self.manager).create({
                "award_type": "advanced_individual", "employee_id": self.worker_b.id, "period_start": start,
                "period_end": start + timedelta(days=27), "state": "approved"})
        with self.assertRaisesRegex(AccessError, "Only 6S managers submit awards"):
            award.with_user(self.audited).action_submit()
        award.action_submit()
        self.assertEqual(award.state, "pending")
        with self.assertRaisesRegex(UserError, "waits for approval.*withdraw the request"):
            award.write({"amount": 5000.0})
        with self.assertRaisesRegex(UserError, "has left draft"):
            award.unlink()
        request = award._ctrl_approval_requests("sixs_award")
        request.with_user(self.gm).action_reject(comment="Not this quarter")
        self.assertEqual((award.state, award.amount), ("draft", 50.0), "a rejection returns the award to draft")
        award.write({"amount": 60.0})
        award.action_submit()
        award._ctrl_approval_requests("sixs_award", ["pending"]).with_user(self.gm).action_approve()
        self.assertEqual(award.state, "approved")
        with self.assertRaisesRegex(UserError, "approved at .*cancel it and make a new one"):
            award.write({"employee_id": self.worker_b.id})
        self.assertEqual((award.employee_id, award.amount), (self.worker_c, 60.0))

    def test_unneeded_item_state_and_content(self):
        Unneeded = self.env["ctrl.sixs.unneeded.item"].with_user(self.audited)
        with self.assertRaises(AccessError):
            Unneeded.create({"name": "Old jig", "area_id": self.zone1.id, "state": "approved"})
        item = Unneeded.create({"name": "Old jig", "area_id": self.zone1.id, "disposition": "scrap"})
        for vals in ({"state": "done"}, {"approver_id": self.audited.id}, {"date_done": self.day}):
            with self.assertRaises(AccessError):
                item.write(vals)
        with self.assertRaisesRegex(AccessError, "Only 6S managers approve"):
            item.action_approve()
        item.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "can only change while it is a draft"):
            item.write({"disposition": "keep"})
        with self.assertRaisesRegex(UserError, "has left draft"):
            item.with_user(self.manager).unlink()
        item.action_done()
        self.assertEqual((item.state, item.disposition, item.approver_id), ("done", "scrap", self.manager))

    def test_appeal_state_and_decision(self):
        _audit, finding = self.published()
        Appeal = self.env["ctrl.sixs.appeal"].with_user(self.audited)
        for forged in ({"state": "accepted"}, {"arbiter_id": self.audited.id}, {"decision_note": "Granted"},
                       {"appellant_id": self.worker_b.user_id.id}):
            with self.assertRaises(AccessError):
                Appeal.create(dict({"line_id": finding.id, "reason": "Not mine"}, **forged))
        appeal = Appeal.create({"line_id": finding.id, "reason": "Not mine"})
        for forged in ({"state": "accepted"}, {"arbiter_id": self.manager.id}):
            with self.assertRaises(AccessError):
                appeal.write(forged)
        appeal.action_submit()
        with self.assertRaises(AccessError):
            appeal.write({"decision_note": "Granted"})
        with self.assertRaisesRegex(UserError, "can only change while it is a draft"):
            appeal.write({"reason": "Something else"})
        with self.assertRaisesRegex(UserError, "has left draft"):
            appeal.with_user(self.manager).unlink()
        with self.assertRaisesRegex(AccessError, "arbiter group"):
            appeal.action_accept("I agree with myself")
        self.assertEqual((appeal.state, appeal.decision_note, finding.points), ("submitted", False, 3.0))
        appeal.with_user(self.manager).action_reject("The photo shows the boxes")
        with self.assertRaises(UserError):
            appeal.with_user(self.manager).write({"decision_note": "Accepted after all"})
        self.assertEqual((appeal.state, appeal.decision_note), ("rejected", "The photo shows the boxes"))

    def test_corrective_action_state_and_deadline(self):
        audit, _finding = self.published()
        action = audit.action_ids
        owner = action.with_user(self.audited)
        deadline = action.deadline
        for vals in ({"state": "verified"}, {"is_late": False}, {"fail_count": 0},
                     {"verified_by_id": self.audited.id}, {"deadline": deadline + timedelta(days=30)},
                     {"verification_note": "Fine"}):
            with self.assertRaises(AccessError):
                owner.write(vals)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            action.with_user(self.manager).unlink()
        owner.write({"done_note": "Aisle cleared"})
        owner.action_mark_done()
        with self.assertRaisesRegex(UserError, "can only change while it is a draft"):
            owner.write({"done_note": "Something else"})
        with self.assertRaises(AccessError):
            owner.action_verify(True, "Self-verified")
        self.assertEqual((action.state, action.deadline, action.done_note), ("done", deadline, "Aisle cleared"))
        action.with_user(self.inspector).action_verify(True, "OK")
        self.assertEqual((action.state, action.verified_by_id), ("verified", self.inspector))

    def test_bonus_points_need_their_approval(self):
        Point = self.env["ctrl.sixs.point"].with_user(self.inspector)
        vals = {"employee_id": self.worker_a.id, "area_id": self.zone1.id, "reason_code": "bonus", "points": 2,
                "name": "Shadow board"}
        bonus = Point.create(dict(vals, state="posted"))
        self.assertEqual(bonus.state, "pending", "a bonus is never posted by its creator")
        with self.assertRaises(AccessError):
            Point.create(dict(vals, reason_code="manual", state="pending"))
        with self.assertRaises(AccessError):
            Point.create(dict(vals, reason_code="manual", res_model="ctrl.sixs.area", res_id=self.zone1.id))
        manager = bonus.with_user(self.manager)
        with self.assertRaises(AccessError):
            manager.write({"state": "posted"})
        with self.assertRaisesRegex(UserError, "waits for approval.*withdraw the request"):
            manager.write({"points": 5})
        with self.assertRaisesRegex(UserError, "has left draft"):
            manager.unlink()
        request = bonus._ctrl_approval_requests("sixs_bonus")
        request.with_user(self.head.user_id).action_reject(comment="Not an improvement")
        self.assertEqual((bonus.state, bonus.points), ("draft", 2.0), "a rejection returns the bonus to draft")
        self.assertNotIn(bonus, self.ledger(self.worker_a))
        with self.assertRaisesRegex(AccessError, "Only 6S inspectors submit"):
            bonus.with_user(self.audited).action_submit()
        manager.write({"points": 1, "name": "Shadow board, second version"})
        bonus.with_user(self.inspector).action_submit()
        bonus._ctrl_approval_requests("sixs_bonus", ["pending"]).with_user(self.head.user_id).action_approve()
        self.assertEqual((bonus.state, bonus.points), ("posted", 1.0))

    def test_payroll_state_and_rows(self):
        self.published()
        month = self.day.replace(day=1)
        payroll = self.env["ctrl.sixs.payroll"].with_user(self.manager)._ctrl_sixs_prepare(month, self.company)
        row = payroll.line_ids
        self.assertEqual((row.employee_id, row.points), (self.worker_a, -3.0))
        for vals in ({"state": "approved"}, {"total_amount": 0.0}, {"prepared_by_id": self.director.id}):
            with self.assertRaises(AccessError):
                payroll.write(vals)
        with self.assertRaises(AccessError):
            row.with_user(self.manager).write({"points_money": 500.0})
        with self.assertRaises(AccessError):
            self.env["ctrl.sixs.payroll.line"].with_user(self.manager).create({
                "payroll_id": payroll.id, "employee_id": self.worker_b.id, "award_amount": 500.0})
        payroll.action_submit()
        with self.assertRaisesRegex(UserError, "waits for approval.*withdraw the request"):
            payroll.write({"date_end": month + timedelta(days=40)})
        with self.assertRaises(UserError):
            row.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "final"):
            payroll.action_refresh()
        with self.assertRaisesRegex(UserError, "has left draft"):
            payroll.unlink()
        payroll.ctrl_approval_ids.with_user(self.director).action_reject(comment="Check worker A")
        self.assertEqual(payroll.state, "draft", "a rejection returns the summary to draft")
        self.assertEqual(payroll.line_ids, row)

    def test_discipline_facts_and_state(self):
        monday = self.today - timedelta(days=self.today.weekday() + 7)
        self.audit(self.zone1, day=monday, findings=[(self.item1, self.worker_a, 2, 2),
                                                     (self.item2, self.worker_b, 2, 2)])
        Discipline = self.env["ctrl.sixs.discipline"]
        measures = Discipline._ctrl_sixs_evaluate(monday, self.company)
        measure = measures.filtered(lambda m: m.employee_id == self.worker_a).with_user(self.manager)
        for vals in ({"state": "cancelled"}, {"level": "warning"}, {"employee_id": self.worker_b.id},
                     {"count": 0}):
            with self.assertRaises(AccessError):
                measure.write(vals)
        with self.assertRaises(AccessError):
            Discipline.with_user(self.manager).create({
                "employee_id": self.worker_c.id, "role": "responsible", "level": "demerit", "rule": "week_findings",
                "period_start": monday, "period_end": monday})
        with self.assertRaises(UserError):
            measure.unlink()
        measure.note = "Appeal accepted"
        measure.action_cancel()
        with self.assertRaisesRegex(UserError, "keeps the note"):
            measure.write({"note": "Something else"})
        self.assertEqual((measure.state, measure.level, measure.note), ("cancelled", "minor_demerit",
                                                                         "Appeal accepted"))

    def test_ranking_publication_not_writable(self):
        self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        week = self.today - timedelta(days=self.today.weekday())
        Ranking = self.env["ctrl.sixs.ranking"]
        Ranking._compute_rankings(week, week + timedelta(days=6), "week", self.company)
        publication = self.env["ctrl.sixs.publication"].search([("company_id", "=", self.company.id),
                                                                ("period_start", "=", week)])
        rows = publication.ranking_ids
        manager = publication.with_user(self.manager)
        for vals in ({"state": "published"}, {"signed_by_id": self.manager.id}, {"date_published": "2026-01-01"},
                     {"ranking_ids": [Command.clear()]}):
            with self.assertRaises(AccessError):
                manager.write(vals)
        with self.assertRaises(AccessError):
            self.env["ctrl.sixs.publication"].with_user(self.manager).create({
                "period_start": week + timedelta(days=7), "period_end": week + timedelta(days=13)})
        with self.assertRaises(UserError):
            manager.unlink()
        with self.assertRaises(AccessError):
            rows[:1].with_user(self.manager).write({"score": 100.0, "rank": 1})
        with self.assertRaises(AccessError):
            rows.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            Ranking.with_user(self.manager).create({
                "period_type": "week", "period_start": week, "period_end": week, "scope": "employee",
                "employee_id": self.worker_b.id, "score": 50.0, "company_id": self.company.id})
        with self.assertRaisesRegex(AccessError, "Only the 6S quality director signs"):
            manager.action_sign()
        self.assertEqual((publication.state, publication.ranking_ids), ("computed", rows))
        publication.with_user(self.quality).action_sign()
        self.assertEqual(publication.signed_by_id, self.quality)

    # ------------------------------------------------------------------
    # 5. the context key that skipped the checklist
    # ------------------------------------------------------------------
    def test_no_lines_context_key_skips_nothing(self):
        Audit = self.env["ctrl.sixs.audit"].with_user(self.audited).with_context(ctrl_sixs_no_lines=True)
        check = Audit.create({"area_id": self.zone1.id, "tier": "self_check", "scheduled_date": self.day})
        self.assertEqual(check.line_ids.item_id, self.item1 | self.item2, "the whole checklist, context or not")
        empty = Audit.create({"area_id": self.zone1.id, "tier": "self_check", "scheduled_date": self.day,
                              "line_ids": []})
        self.assertEqual(empty.line_ids.item_id, self.item1 | self.item2)
        # A line cannot be dropped while answering, and an unanswered one stops the sign-off.
        inspection = self.env["ctrl.sixs.audit"].with_user(self.inspector).create({
            "area_id": self.zone1.id, "tier": "routine", "scheduled_date": self.day})
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            inspection.line_ids.filtered(lambda li: li.item_id == self.item2).unlink()
        inspection.line_ids.filtered(lambda li: li.item_id == self.item1).result = "ok"
        with self.assertRaisesRegex(UserError, "1 of 2 check items have no result"):
            inspection.action_done()
        self.assertEqual(inspection.line_ids.item_id, self.item1 | self.item2)
        self.assertEqual(inspection.state, "draft")
