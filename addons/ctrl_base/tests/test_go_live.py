# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlBaseCase, set_ctrl_live

TODAY = date(2026, 3, 31)
GO_LIVE = TODAY - timedelta(days=30)


@tagged("post_install", "-at_install")
class TestGoLive(CtrlBaseCase):
    """Issue #24: ctrl starts switched off; a go-live date per company keeps history out."""

    ctrl_live = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.company"].search([]).sudo().action_ctrl_deactivate()
        cls.activity_type = cls.env.ref("ctrl_base.mail_activity_type_escalation")
        cls.ladder = cls.env["ctrl.escalation.ladder"].create({
            "name": "Go-live ladder", "code": "go_live_test", "model_id": cls.model.id, "date_field": "date_ref",
            "company_id": False,
            "level_ids": [
                (0, 0, {"name": "Phone", "days": 1, "activity_type_id": cls.activity_type.id,
                        "responsible_type": "field", "responsible_field": "user_id"}),
                (0, 0, {"name": "Visit", "days": 11, "callback": "_ctrl_escalation_count"}),
                (0, 0, {"name": "Legal", "days": 61, "callback": "_ctrl_escalation_count"}),
            ],
        })
        cls.phone, cls.visit, cls.legal = cls.ladder.level_ids.sorted("days")
        cls.system_admin = new_test_user(cls.env, "ctrl_sys_admin", groups="base.group_user,base.group_system")
        cls.system_ctrl_admin = new_test_user(
            cls.env, "ctrl_sys_ctrl_admin", groups="base.group_user,base.group_system,ctrl_base.group_ctrl_manager")

    def _record(self, ref_date):
        return self.Record.create({"name": str(ref_date), "date_ref": ref_date, "user_id": self.clerk.id})

    def _steps(self, records):
        return self.env["ctrl.escalation.step"].search([("ladder_id", "=", self.ladder.id),
                                                         ("res_id", "in", records.ids)])

    def test_fresh_company_is_off(self):
        company = self.env["res.company"].create({"name": "New subsidiary"})
        self.assertFalse(company.ctrl_live)
        self.assertEqual(company.ctrl_backlog_policy, "ignore")

    def test_not_live_ladder_does_nothing(self):
        old = self._record(TODAY - timedelta(days=400))
        self.assertEqual(self.ladder._run_all(today=TODAY), 0)
        self.assertEqual(self.env["ctrl.escalation.ladder"]._cron_run(["go_live_test"]), (0, 0))
        self.assertFalse(self._steps(old))
        self.assertFalse(old.activity_ids)
        self.assertEqual(old.callback_count, 0)

    def test_not_live_every_ctrl_cron_creates_nothing(self):
        self._record(TODAY - timedelta(days=400))
        self._record(fields.Date.context_today(self.Record) - timedelta(days=400))
        crons = self.env["ir.cron"].with_context(active_test=False).search([]).filtered(
            lambda c: (c.get_external_id().get(c.id) or "").startswith("ctrl_"))
        self.assertTrue(crons)
        models = self.env["ir.model"].sudo().search([("transient", "=", False)]).filtered(
            lambda m: any(module.startswith("ctrl_") for module in (m.modules or "").split(", "))
            and not self.env[m.model]._abstract and self.env[m.model]._auto)
        watched = models.mapped("model") + ["mail.activity", "mail.message", "mail.mail", "ctrl.escalation.step"]

        def counts():
            return {name: self.env[name].sudo().with_context(active_test=False).search_count([])
                    for name in watched}

        before = counts()
        for cron in crons:
            cron.ir_actions_server_id.with_user(cron.user_id).run()
        self.env.flush_all()
        self.assertEqual(counts(), before)
        # The same with the company live: the escalation cron acts (the check above is not empty).
        set_ctrl_live(self.env.company)
        self.env.ref("ctrl_base.ir_cron_escalation").ir_actions_server_id.run()
        self.assertGreater(self.env["ctrl.escalation.step"].search_count([("ladder_id", "=", self.ladder.id)]), 0)

    def test_ignore_policy_leaves_history_alone(self):
        set_ctrl_live(self.env.company, go_live=GO_LIVE, policy="ignore")
        history = self._record(GO_LIVE - timedelta(days=400))
        just_before = self._record(GO_LIVE - timedelta(days=1))
        new = self._record(GO_LIVE + timedelta(days=5))
        self.ladder._run_all(today=TODAY)
        self.assertEqual(self._steps(new).level_id, self.visit)
        self.assertEqual(new.callback_count, 1)
        for day in (TODAY, TODAY + timedelta(days=100), TODAY + timedelta(days=1000)):
            self.ladder._run_all(today=day)
            self.assertFalse(self._steps(history | just_before), "history is never escalated")
        self.assertFalse((history | just_before).activity_ids)
        self.assertEqual(history.callback_count + just_before.callback_count, 0)
        self.assertEqual(self._steps(new).level_id, self.visit | self.legal)

    def test_place_policy_records_level_without_acting(self):
        set_ctrl_live(self.env.company, go_live=GO_LIVE, policy="place")
        history = self._record(GO_LIVE - timedelta(days=400))  # all levels passed before go-live
        straddling = self._record(GO_LIVE - timedelta(days=5))  # Phone before go-live, Visit after
        self.ladder._run_all(today=TODAY)
        step = self._steps(history)
        self.assertEqual(step.level_id, self.legal)
        self.assertEqual(step.state, "skipped")
        self.assertFalse(history.activity_ids)
        self.assertEqual(history.callback_count, 0)
        self.assertEqual(self._steps(straddling).level_id, self.visit)
        self.assertEqual(self._steps(straddling).state, "done")
        self.assertEqual(straddling.callback_count, 1)
        # Later runs leave the history where it was recorded.
        self.ladder._run_all(today=TODAY + timedelta(days=400))
        self.assertEqual(self._steps(history), step)
        self.assertEqual(history.callback_count, 0)
        self.assertEqual(straddling.callback_count, 2)

    def test_place_policy_skips_only_levels_reached_before_go_live(self):
        set_ctrl_live(self.env.company, go_live=GO_LIVE, policy="place")
        record = self._record(GO_LIVE - timedelta(days=3))
        self.ladder._run_all(today=GO_LIVE + timedelta(days=2))
        self.assertEqual(self._steps(record).state, "skipped")
        self.assertFalse(record.activity_ids)
        self.ladder._run_all(today=GO_LIVE + timedelta(days=9))
        visit = self._steps(record).filtered(lambda s: s.level_id == self.visit)
        self.assertEqual(visit.state, "done")
        self.assertEqual(record.callback_count, 1)

    def test_full_policy_runs_the_ladder(self):
        set_ctrl_live(self.env.company, go_live=GO_LIVE, policy="full")
        history = self._record(GO_LIVE - timedelta(days=400))
        self.ladder._run_all(today=TODAY)
        self.assertEqual(self._steps(history).state, "done")
        self.assertEqual(history.callback_count, 1)

    def test_live_without_date_means_no_cut_off(self):
        company = self.env.company
        company.sudo().write({"ctrl_backlog_policy": "ignore"})
        self.env.cr.execute("UPDATE res_company SET ctrl_live = TRUE, ctrl_go_live_date = NULL WHERE id = %s",
                            [company.id])
        company.invalidate_recordset()
        history = self._record(TODAY - timedelta(days=400))
        self.ladder._run_all(today=TODAY)
        self.assertEqual(history.callback_count, 1)

    def test_other_company_not_live(self):
        set_ctrl_live(self.env.company)
        other = self.env["res.company"].create({"name": "Not live yet"})
        mine = self._record(TODAY - timedelta(days=20))
        theirs = self.Record.create({"name": "theirs", "date_ref": TODAY - timedelta(days=20),
                                     "company_id": other.id, "user_id": self.clerk.id})
        self.ladder._run_all(today=TODAY)
        self.assertEqual(mine.callback_count, 1)
        self.assertEqual(theirs.callback_count, 0)
        self.assertFalse(self._steps(theirs))

    def test_not_live_retries_wait(self):
        set_ctrl_live(self.env.company)
        record = self._record(TODAY - timedelta(days=20))
        self.ladder._run_all(today=TODAY)
        step = self._steps(record)
        self.assertEqual((step.level_id, record.callback_count), (self.visit, 1))
        # A transient error left the step to retry; meanwhile the company was switched off.
        step.sudo().write({"state": "retry", "retry_after": "2000-01-01"})
        self.env.company.sudo().action_ctrl_deactivate()
        self.assertEqual(self.ladder._run_all(today=TODAY), 0)
        self.assertEqual((step.state, record.callback_count), ("retry", 1))
        set_ctrl_live(self.env.company)
        self.ladder._run_all(today=TODAY)
        self.assertEqual((step.state, record.callback_count), ("done", 2))

    def test_activation_needs_date_and_admin(self):
        company = self.env.company
        company.sudo().ctrl_go_live_date = False
        with self.assertRaisesRegex(UserError, "Go-live date"):
            company.with_user(self.admin_ctrl).action_ctrl_activate()
        company.sudo().ctrl_go_live_date = GO_LIVE
        with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
            company.with_user(self.clerk).action_ctrl_activate()
        with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
            company.with_user(self.system_admin).action_ctrl_activate()
        self.assertFalse(company.ctrl_live)
        company.with_user(self.admin_ctrl).action_ctrl_activate()
        self.assertTrue(company.ctrl_live)
        with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
            company.with_user(self.system_admin).action_ctrl_deactivate()
        company.with_user(self.admin_ctrl).action_ctrl_deactivate()
        self.assertFalse(company.ctrl_live)

    def test_client_cannot_write_live(self):
        company = self.env.company
        company.sudo().ctrl_go_live_date = GO_LIVE
        # Settings: the field is read-only there, a value sent for it is ignored.
        settings = self.env["res.config.settings"].with_user(self.system_ctrl_admin).create({"ctrl_live": True})
        settings.execute()
        self.assertFalse(company.ctrl_live)
        # The company itself: refused, even to a settings administrator.
        with self.assertRaisesRegex(AccessError, "Activate"):
            company.with_user(self.system_ctrl_admin).write({"ctrl_live": True})
        self.assertFalse(company.ctrl_live)
        with self.assertRaisesRegex(AccessError, "Activate"):
            self.env["res.company"].with_user(self.system_ctrl_admin).create({"name": "Live at birth",
                                                                            "ctrl_live": True})
        # The settings' buttons do it, with the group check.
        with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
            self.env["res.config.settings"].with_user(self.system_admin).create({}).action_ctrl_activate()
        settings.action_ctrl_activate()
        self.assertTrue(company.ctrl_live)
        settings.action_ctrl_deactivate()
        self.assertFalse(company.ctrl_live)



@tagged("post_install", "-at_install")
class TestGoLivePreview(CtrlBaseCase):
    """Issue #24: before activating, an Internal Control administrator sees what activation would do."""

    ctrl_live = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.company"].search([]).sudo().action_ctrl_deactivate()
        cls.activity_type = cls.env.ref("ctrl_base.mail_activity_type_escalation")
        cls.ladder = cls.env["ctrl.escalation.ladder"].create({
            "name": "Preview ladder", "code": "go_live_preview_test", "model_id": cls.model.id,
            "date_field": "date_ref", "company_id": False,
            "level_ids": [
                (0, 0, {"name": "Phone", "days": 1, "activity_type_id": cls.activity_type.id,
                        "responsible_type": "field", "responsible_field": "user_id"}),
                (0, 0, {"name": "Visit", "days": 11, "callback": "_ctrl_escalation_count"}),
                (0, 0, {"name": "Legal", "days": 61, "activity_type_id": cls.activity_type.id,
                        "responsible_type": "group",
                        "responsible_group_id": cls.env.ref("ctrl_base.group_approver_gm").id}),
            ],
        })
        cls.phone, cls.visit, cls.legal = cls.ladder.level_ids.sorted("days")
        # Only the test's ladder: the other addons' ladders would preview the company's own documents (the
        # demo data's invoices, say).
        cls.env["ctrl.escalation.ladder"].search([("id", "!=", cls.ladder.id)]).write({"active": False})
        cls.today = fields.Date.context_today(cls.Record)
        cls.go_live = cls.today - timedelta(days=30)
        cls.system_admin = new_test_user(cls.env, "ctrl_sys_admin", groups="base.group_user,base.group_system")

    def _record(self, ref_date, user=None, company=None):
        return self.Record.create({"name": str(ref_date), "date_ref": ref_date, "user_id": (user or self.clerk).id,
                                   "company_id": (company or self.company).id})

    def _preview(self, policy="place", user=None):
        self.company.sudo().write({"ctrl_go_live_date": self.go_live, "ctrl_backlog_policy": policy})
        return self.env["ctrl.go.live.preview"].with_user(user or self.admin_ctrl)._ctrl_compute(self.company)

    def _lines(self, preview):
        return {line.level_id: line for line in preview.line_ids if line.ladder_id == self.ladder}

    def test_preview_counts_what_activation_does(self):
        history = self._record(self.go_live - timedelta(days=400))  # Legal before the go-live: recorded only
        straddling = self._record(self.go_live - timedelta(days=5))  # Visit, reached after the go-live
        new = self._record(self.today - timedelta(days=3)) | self._record(self.today - timedelta(days=5),
                                                                         user=self.manager)
        not_yet = self._record(self.today)
        # Another company's records are not this company's go-live, even when it is live.
        other = self.env["res.company"].create({"name": "Live sister"})
        set_ctrl_live(other)
        theirs = self._record(self.today - timedelta(days=3), company=other)
        lines = self._lines(self._preview())
        figures = [(lines[level].record_count, lines[level].placed_count, lines[level].group_count,
                    lines[level].activity_count) for level in (self.phone, self.visit, self.legal)]
        self.assertEqual(figures, [(2, 0, 2, 2), (1, 0, 1, 0), (0, 1, 0, 0)])
        self.assertEqual(lines[self.phone].user_ids, self.clerk | self.manager)
        self.assertFalse(lines[self.legal].user_ids, "recorded only: no activity")
        # Activation then does just that.
        self.company.with_user(self.admin_ctrl).action_ctrl_activate()
        mine = history | straddling | new | not_yet
        self.ladder._run_all(today=self.today)
        steps = self.env["ctrl.escalation.step"].search([("ladder_id", "=", self.ladder.id),
                                                         ("res_id", "in", mine.ids)])
        for level, line in lines.items():
            at_level = steps.filtered(lambda s, lv=level: s.level_id == lv)
            self.assertEqual(len(at_level.filtered(lambda s: s.state == "done")), line.record_count, level.name)
            self.assertEqual(len(at_level.filtered(lambda s: s.state == "skipped")), line.placed_count, level.name)
        activities = mine.activity_ids
        self.assertEqual(len(activities), sum(line.activity_count for line in lines.values()))
        self.assertEqual(activities.user_id, lines[self.phone].user_ids)
        self.assertEqual(straddling.callback_count, 1)
        self.assertTrue(theirs.ctrl_escalation_step_ids, "the live sister company was served, not counted")

    def test_preview_writes_nothing_but_itself(self):
        records = self._record(self.go_live - timedelta(days=400)) | self._record(self.today - timedelta(days=20)) \
            | self._record(self.today - timedelta(days=3))
        watched = ("ctrl.escalation.step", "mail.activity", "mail.message", "mail.mail", "mail.followers")

        def counts():
            self.env.invalidate_all()
            return ({name: self.env[name].sudo().search_count([]) for name in watched},
                    sum(records.mapped("callback_count")))

        before = counts()
        preview = self._preview(policy="full")
        self.assertEqual(sum(self._lines(preview)[level].record_count for level in self.ladder.level_ids), 3)
        self.assertEqual(counts(), before)
        self.env.cr.execute("SELECT ctrl_live FROM res_company WHERE id = %s", [self.company.id])
        self.assertFalse(self.env.cr.fetchone()[0], "the company was live only inside the rolled-back savepoint")
        self.assertFalse(self.company.ctrl_live)
        # Counted on the previewing user's day (at 23:30 UTC it may be a day before the superuser's).
        self.assertEqual((preview.go_live_date, preview.backlog_policy, preview.date),
                         (self.go_live, "full", fields.Date.context_today(preview)))
        # Previewing again counts the same: nothing moved.
        again = self._preview(policy="full")
        self.assertEqual(again.line_ids.mapped("record_count"), preview.line_ids.mapped("record_count"))

    def test_only_administrators_preview(self):
        self._record(self.today - timedelta(days=3))
        # Set outside the refused calls below, whose savepoints roll back what they wrote.
        self.company.sudo().ctrl_go_live_date = self.go_live
        for user in (self.clerk, self.system_admin):
            with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
                self._preview(user=user)
            with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
                self.company.with_user(user).action_ctrl_preview()
        with self.assertRaisesRegex(AccessError, "Internal Control administrator"):
            self.env["res.config.settings"].with_user(self.system_admin).create({}).action_ctrl_preview()
        action = self.company.with_user(self.admin_ctrl).action_ctrl_preview()
        preview = self.env["ctrl.go.live.preview"].browse(action["res_id"])
        self.assertEqual((action["res_model"], preview.company_id), ("ctrl.go.live.preview", self.company))
        self.assertEqual(self._lines(preview)[self.phone].record_count, 1)

    def test_preview_needs_the_go_live_date(self):
        self.company.sudo().ctrl_go_live_date = False
        with self.assertRaisesRegex(UserError, "Go-live date"):
            self.env["ctrl.go.live.preview"].with_user(self.admin_ctrl)._ctrl_compute(self.company)

    def test_preview_lists_groups_without_members(self):
        empty = self.env["res.groups"].create({"name": "Empty board"})
        gone = new_test_user(self.env, "ctrl_gone", groups="base.group_user")
        gone.groups_id += empty
        gone.active = False
        self.legal.responsible_group_id = empty
        self._record(self.go_live - timedelta(days=400))
        preview = self._preview(policy="full")
        self.assertIn(empty, preview.empty_group_ids, "an archived member does not count")
        self.assertNotIn(self.env.ref("ctrl_base.group_approver_gm"), preview.empty_group_ids)
        line = self._lines(preview)[self.legal]
        self.assertIn("Empty board", line.note)
        self.assertEqual(line.user_ids, self.env.ref("base.user_admin"), "the activity falls to the administrator")
        self.assertFalse(self._lines(preview)[self.phone].note)
