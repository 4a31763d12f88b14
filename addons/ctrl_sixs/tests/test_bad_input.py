# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PHOTO, SixsCase


@tagged("post_install", "-at_install")
class TestBadInput(SixsCase):
    """Each bad input gets a clear error naming the field and the fix, and writes nothing."""

    def test_item_deduction_outside_range(self):
        with self.assertRaisesRegex(ValidationError, r"deduction 7 is outside the range 2-5"):
            self.item1.deduction = 7
        self.assertEqual(self.item1.deduction, 2)
        with self.assertRaisesRegex(ValidationError, r"deduction 1 is outside"):
            self.env["ctrl.sixs.item"].create({"name": "Too mild", "deduction": 1, "company_id": self.company.id,
                                               "category_id": self.env.ref("ctrl_sixs.category_s1").id})

    def test_finding_deduction_outside_range(self):
        audit = self.audit(self.zone1, publish=False)
        line = audit.line_ids[0]
        with self.assertRaisesRegex(ValidationError, r"outside the item's range 2-5"):
            line.write({"result": "nok", "deduction": 6, "employee_id": self.worker_a.id, "note": "Boxes",
                        "photo": PHOTO})
        self.assertEqual(line.result, "ok")
        with self.assertRaisesRegex(ValidationError, "count of a finding must be at least 1"):
            line.write({"result": "nok", "deduction": 2, "count": 0, "note": "Boxes", "photo": PHOTO})
        # An OK answer does not carry a deduction check.
        line.write({"deduction": 9})

    def test_publish_with_unanswered_items(self):
        audit = self.audit(self.zone1, publish=False)
        audit.line_ids[0].result = False
        with self.assertRaisesRegex(UserError, r"cannot be signed off: 1 of 2 check items have no result"):
            audit.action_done()
        audit.line_ids[0].result = "ok"
        audit.action_done()
        audit.action_confirm()
        audit.line_ids[0].sudo().result = False  # only a superuser can still blank it
        with self.assertRaisesRegex(UserError, r"1 check items have no result \(\[T-01\] Aisles clear\)"):
            audit.action_publish()
        self.assertEqual(audit.state, "confirmed")
        self.assertFalse(self.ledger())

    def test_verification_by_owner(self):
        self.worker_a.user_id.groups_id += self.env.ref("ctrl_sixs.group_sixs_inspector")
        action = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)]).action_ids
        action.with_user(self.worker_a.user_id).action_mark_done("Done")
        with self.assertRaisesRegex(UserError, "you are its owner and cannot verify it"):
            action.with_user(self.worker_a.user_id).action_verify(True)
        self.assertEqual((action.state, action.verified_by_id.id), ("done", False))

    def test_rota_member_short_service(self):
        with self.assertRaisesRegex(ValidationError, r"Newcomer cannot be duty officer .* 3 months' service"):
            self.env["ctrl.sixs.rota"].create({"area_id": self.proc1.id, "date": self.today,
                                               "employee_id": self.newcomer.id})

    def test_overlapping_award_periods(self):
        Award = self.env["ctrl.sixs.award"]
        start = self.today.replace(day=1)
        Award.create({"award_type": "advanced_individual", "employee_id": self.worker_a.id,
                      "period_start": start, "period_end": start + timedelta(days=89)})
        with self.assertRaisesRegex(ValidationError, "overlaps"):
            Award.create({"award_type": "advanced_individual", "employee_id": self.worker_a.id,
                          "period_start": start + timedelta(days=60), "period_end": start + timedelta(days=150)})
        self.assertEqual(Award.search_count([("employee_id", "=", self.worker_a.id)]), 1)
        # Another type or another winner is fine; model employees are capped per process.
        Award.create({"award_type": "advanced_individual", "employee_id": self.worker_b.id,
                      "period_start": start, "period_end": start + timedelta(days=89)})
        month = {"award_type": "model_employee", "area_id": self.proc1.id, "period_start": start,
                 "period_end": start + timedelta(days=27)}
        Award.create(dict(month, employee_id=self.worker_a.id))
        Award.create(dict(month, employee_id=self.worker_b.id))
        with self.assertRaisesRegex(ValidationError, "already has 2 model employees"):
            Award.create(dict(month, employee_id=self.leader1.id))

    def test_published_answers_are_final_and_area_levels(self):
        audit = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        with self.assertRaisesRegex(UserError, "appeal a finding instead"):
            audit.with_user(self.manager).line_ids[0].result = "ok"
        with self.assertRaisesRegex(ValidationError, "cannot sit under"):
            self.env["ctrl.sixs.area"].create({"name": "Bad", "level": "department", "parent_id": self.zone1.id})
