# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21, the 6S guided tour on a desktop: a 6S audit to a corrective action to the rankings, each
person logged in with only their role's groups (the inspector, then the area's owner, then the inspector
again). The tours fail on an error or a technical name on screen (ctrl_base's ctrl_tour_utils.js)."""
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestCorrectiveActionTour(SixsCase, HttpCase):
    def setUp(self):
        super().setUp()
        company_vals = {"company_id": self.company.id, "company_ids": [Command.set(self.company.ids)], "tz": "UTC"}
        self.tour_inspector = new_test_user(self.env(su=True), "sixs_tour_insp", name="Tang Yu",
                                            groups="ctrl_sixs.group_sixs_inspector", **company_vals)
        self.owner_user = self.worker_b.user_id
        self.paint_line = self.env["ctrl.sixs.area"].create({
            "name": "Paint line", "level": "zone", "zone_type": "workshop", "parent_id": self.proc1.id,
            "responsible_id": self.worker_b.id})
        self.labels = self.env["ctrl.sixs.item"].create({
            "code": "T-03", "name": "Tool board labels readable", "area_id": self.paint_line.id,
            "category_id": self.env.ref("ctrl_sixs.category_s2").id, "company_id": self.company.id})
        self.local_today = fields.Date.context_today(self.tour_inspector)
        self.tour_audit = self.env["ctrl.sixs.audit"].with_user(self.manager).create({
            "area_id": self.paint_line.id, "tier": "routine", "scheduled_date": self.local_today,
            "inspector_id": self.tour_inspector.id})

    def line(self, item):
        return self.tour_audit.line_ids.filtered(lambda line: line.item_id == item)

    def test_audit_to_corrective_action_to_rankings(self):
        self.start_tour("/odoo/action-ctrl_sixs.ctrl_sixs_audit_action", "ctrl_sixs_audit_finding_tour",
                        login="sixs_tour_insp")
        audit = self.tour_audit
        self.assertEqual(audit.state, "done")
        self.assertEqual([(line.item_id, line.result) for line in audit.line_ids.sorted("id")],
                         [(self.item1, "ok"), (self.item2, "nok"), (self.labels, "na")])
        finding = self.line(self.item2)
        self.assertEqual(finding.note, "Pallets in front of the fire exit")
        self.assertTrue(finding.photo)
        action = self.env["ctrl.sixs.action"].search([("line_id", "=", finding.id)])
        self.assertEqual((len(action), action.owner_user_id, action.state), (1, self.owner_user, "open"))

        self.start_tour("/odoo", "ctrl_sixs_action_done_tour", login=self.owner_user.login)
        self.assertEqual((action.state, action.done_note),
                         ("done", "Pallets moved to the store; the exit is marked on the floor"))

        # The process leader confirms the audit on site, the 6S manager publishes it and the Saturday
        # run computes the month's rankings.
        audit.with_user(self.manager).action_confirm()
        audit.with_user(self.manager).action_publish()
        month_start = self.local_today.replace(day=1)
        self.env["ctrl.sixs.ranking"].with_company(self.company)._compute_rankings(
            month_start, month_start + relativedelta(months=1, days=-1), company=self.company)
        ranking = self.env["ctrl.sixs.ranking"].search([("company_id", "=", self.company.id),
                                                        ("scope", "=", "area"), ("area_id", "=", self.paint_line.id)])
        self.assertLess(ranking.score, 0.0, "the finding cost the paint line points")

        self.start_tour("/odoo", "ctrl_sixs_action_verify_tour", login="sixs_tour_insp")
        self.assertEqual((action.state, action.verified_by_id), ("verified", self.tour_inspector))
