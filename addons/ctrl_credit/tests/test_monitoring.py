# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CtrlCreditCase


@tagged("post_install", "-at_install")
class TestMonitoring(CtrlCreditCase):
    """Issue 3 section 7: the finance review every 10 days and the customer
    visits by limit tier, as escalation steps giving activities to the roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance.groups_id += cls.env.ref("ctrl_credit.group_credit_manager")
        cls.dept_head = cls.env["res.users"].create({
            "name": "Dept Head", "login": "cc_dept", "company_id": cls.company.id,
            "company_ids": [(6, 0, cls.company.ids)],
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("ctrl_base.group_approver_department_head").id])]})
        cls.Partner = cls.env["res.partner"]

    def _reviews(self):
        return self.env["ctrl.credit.review"].search([("company_id", "=", self.company.id)])

    def test_finance_review_every_ten_days(self):
        self.init_invoice("out_invoice", partner=self.customer, amounts=[9500], post=True)  # 95% of the limit
        start, end = self.env["ctrl.credit.review"]._period(self.company, date(2026, 3, 2))
        self.assertEqual((end - start).days, 9)
        self.Partner._cron_ctrl_credit_monitoring(today=start)
        self.Partner._cron_ctrl_credit_monitoring(today=start)
        review = self._reviews()
        self.assertEqual(len(review), 1, "once per period, whatever the reruns")
        self.assertEqual((review.date, review.date_end), (start, end))
        line = review.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertAlmostEqual(line.used_percent, 95.0)
        self.assertIn(self.finance, review.user_ids)
        activities = review.activity_ids
        self.assertEqual(activities.user_id, review.user_ids, "one activity per credit manager of the company")
        self.assertEqual(len(activities), len(review.user_ids))
        steps = self.env["ctrl.escalation.step"].search([("res_model", "=", review._name), ("res_id", "=", review.id)])
        self.assertEqual(steps.level_id, self.env.ref("ctrl_credit.escalation_level_review_due"))
        # Same period, 3 days later: nothing new. Unchecked after 5 days: the finance director.
        self.Partner._cron_ctrl_credit_monitoring(today=start + timedelta(days=3))
        self.assertEqual(len(review.activity_ids), len(activities))
        self.Partner._cron_ctrl_credit_monitoring(today=start + timedelta(days=6))
        self.assertEqual(len(self._reviews()), 1)
        late = review.activity_ids.filtered(lambda a: "not checked" in (a.summary or ""))
        self.assertEqual(late.user_id, self.env.ref("ctrl_base.group_approver_finance").users.filtered("active"))
        with self.assertRaises(AccessError):
            review.with_user(self.salesman).action_done()
        review.with_user(self.finance).action_done()
        self.assertEqual((review.state, review.checked_by_id), ("done", self.finance))
        self.assertFalse(review.activity_ids)
        # The next period gets its own review.
        self.Partner._cron_ctrl_credit_monitoring(today=end + timedelta(days=1))
        self.assertEqual(len(self._reviews()), 2)

    def test_review_days_setting(self):
        with self.assertRaisesRegex(ValidationError, "every"):
            self.company.ctrl_credit_review_days = 0
        self.company.ctrl_credit_review_days = 7
        self.Partner._cron_ctrl_credit_monitoring(today=date(2026, 3, 2))
        review = self._reviews()
        self.assertEqual((review.date_end - review.date).days, 6)

    def _visit_customer(self, limit, term):
        partner = self.Partner.create({"name": f"Visit {limit}", "is_company": True, "user_id": self.salesman.id})
        self._grade(partner, "A", limit=limit)
        partner.with_company(self.company).sudo().with_context(
            ctrl_credit_limit_approved=True).ctrl_credit_term_days = term
        return partner

    def _dues(self, partner):
        return self.env["ctrl.credit.visit.due"].search([("partner_id", "=", partner.id)])

    def test_visits_by_limit_tier(self):
        """001/N26-N28 (AR01) on the default tiers: every monthly tier needs a term over one month."""
        tiers = [self.env.ref(f"ctrl_credit.visit_tier_{n}") for n in ("n26", "n27", "n28")]
        self.assertEqual([(t.limit_min, t.term_min_days, t.role, t.visits) for t in tiers],
                         [(30000, 31, "sales_manager", 1), (50000, 31, "department_head", 2),
                          (100000, 31, "salesperson", 4)])
        big = self._visit_customer(120000, 45)     # N26 + N27 + N28
        mid = self._visit_customer(60000, 45)      # N26 + N27
        short = self._visit_customer(120000, 30)   # none: a term of one month at most
        small = self._visit_customer(20000, 60)    # below every tier
        today = date(2026, 3, 10)
        self.Partner._cron_ctrl_credit_monitoring(today=today)
        self.Partner._cron_ctrl_credit_monitoring(today=today)
        dues = self._dues(big)
        self.assertEqual(dues.tier_id, self.env.ref("ctrl_credit.visit_tier_n26") | self.env.ref(
            "ctrl_credit.visit_tier_n27") | self.env.ref("ctrl_credit.visit_tier_n28"), "once per tier and month")
        self.assertEqual(self._dues(mid).tier_id, tiers[0] | tiers[1])
        self.assertFalse(self._dues(short))
        self.assertFalse(self._dues(small))
        salesperson_due = dues.filtered(lambda d: d.role == "salesperson")
        self.assertEqual(salesperson_due.user_ids, self.salesman)
        activity = salesperson_due.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.date_deadline, date(2026, 3, 31), "due by the end of the month")
        self.assertIn("4 visit(s)", activity.summary)
        head_due = dues.filtered(lambda d: d.role == "department_head")
        self.assertIn(self.dept_head, head_due.user_ids)
        self.assertIn(self.dept_head, head_due.activity_ids.user_id)
        salesperson_due.with_user(self.salesman).write({"note": "Met the buyer, order planned"})
        salesperson_due.with_user(self.salesman).action_done()
        self.assertEqual(salesperson_due.state, "done")
        self.assertFalse(salesperson_due.activity_ids)
        # April: due again.
        self.Partner._cron_ctrl_credit_monitoring(today=date(2026, 4, 1))
        self.assertEqual(len(self._dues(big)), 6)

    def test_yearly_tiers_and_batches(self):
        huge = self._visit_customer(2000000, 120)  # N26-N28 monthly, N29 manager and VP yearly
        Due = self.env["ctrl.credit.visit.due"]
        created, remaining = Due._ctrl_create_due(self.company, date(2026, 5, 5), limit=2)
        self.assertEqual(len(created), 2)
        self.assertGreaterEqual(remaining, 3)
        self.Partner._cron_ctrl_credit_monitoring(today=date(2026, 5, 5))
        yearly = self._dues(huge).filtered(lambda d: d.tier_id.period == "year")
        self.assertEqual(len(yearly), 2)
        self.assertEqual(set(yearly.mapped("date_end")), {date(2026, 12, 31)})
        self.Partner._cron_ctrl_credit_monitoring(today=date(2026, 6, 5))
        self.assertEqual(len(self._dues(huge).filtered(lambda d: d.tier_id.period == "year")), 2,
                         "yearly visits fall due once a year")

    def test_tier_bad_input(self):
        Tier = self.env["ctrl.credit.visit.tier"]
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            Tier.create({"name": "bad", "limit_min": -1, "role": "gm", "visits": 1})
        with self.assertRaisesRegex(ValidationError, "Visits"):
            Tier.create({"name": "bad", "limit_min": 1, "role": "gm", "visits": 0})
