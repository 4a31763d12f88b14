# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestPasswordAndReview(CtrlBackupCase):
    def test_own_password_below_policy_refused(self):
        user = new_test_user(self.env, "bk_pw_user_long", groups="base.group_user", password="initial-pass-1")
        with self.assertRaisesRegex(UserError, "at least 10 characters"):
            self.env["res.users"].with_user(user).change_password("initial-pass-1", "short123")
        self.env["res.users"].with_user(user).change_password("initial-pass-1", "long-enough-1")
        self.assertTrue(user.ctrl_password_changed_at)
        self.assertFalse(user.ctrl_password_must_change)

    def test_password_set_by_admin_must_change_at_first_login(self):
        admin = new_test_user(self.env, "bk_pw_admin",
                              groups="base.group_system,base.group_user,base.group_partner_manager")
        user = self.env["res.users"].with_user(admin).create({
            "name": "New clerk", "login": "bk_new_clerk", "password": "Temp-1234"})
        self.assertTrue(user.ctrl_password_must_change)
        self.assertIn("set by an administrator", user._ctrl_password_change_reason())
        self.env["res.users"].with_user(user).change_password("Temp-1234", "my-own-password")
        self.assertEqual(user._ctrl_password_change_reason(), "")

    def test_password_older_than_three_months(self):
        user = new_test_user(self.env, "bk_pw_old_user", groups="base.group_user")
        self.assertEqual(user._ctrl_password_change_reason(), "")
        user.sudo().ctrl_password_changed_at = fields.Datetime.now() - timedelta(days=91)
        self.assertIn("more than 90 days", user._ctrl_password_change_reason())
        self.env["ir.config_parameter"].sudo().set_param("ctrl_backup.password_max_age_days", 0)
        self.assertEqual(user._ctrl_password_change_reason(), "")

    def test_quarterly_access_review(self):
        clerk = new_test_user(self.env, "bk_review_clerk", groups="base.group_user")
        self.env["hr.employee"].create({"name": "Clerk", "user_id": clerk.id, "department_id": self.department.id})
        reviews = self.env["ctrl.backup.access.review"]._cron_generate()
        review = reviews.filtered(lambda r: r.department_id == self.department)
        self.assertEqual(review.reviewer_id, self.dept_head)
        self.assertIn(clerk, review.line_ids.user_id)
        self.assertIn(self.env.ref("base.group_user"), review.line_ids.filtered(
            lambda line: line.user_id == clerk).group_ids)
        self.assertFalse(self.env["ctrl.backup.access.review"]._cron_generate().filtered(
            lambda r: r.department_id == self.department))  # once per quarter
        with self.assertRaises(AccessError):
            review.with_user(clerk).action_confirm()
        with self.assertRaisesRegex(UserError, "Decide Keep"):
            review.with_user(self.dept_head).action_confirm()
        review.line_ids.write({"decision": "keep"})
        line = review.line_ids.filtered(lambda line: line.user_id == clerk)
        line.decision = "change"
        with self.assertRaisesRegex(UserError, "Say what must change"):
            review.with_user(self.dept_head).action_confirm()
        line.note = "Remove Sales access"
        review.with_user(self.dept_head).action_confirm()
        self.assertEqual(review.state, "done")

    def test_login_log_pruned_after_kept_period(self):
        Log = self.env["ctrl.backup.login.log"]
        old = Log.create({"login": "x", "success": True, "date": fields.Datetime.now() - timedelta(days=100)})
        recent = Log.create({"login": "y", "success": False, "date": fields.Datetime.now() - timedelta(days=59)})
        self.env["ir.config_parameter"].sudo().set_param("ctrl_backup.login_log_days", 10)  # below 60: 60 used
        Log._cron_prune()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        visible = Log.with_user(self.operator).search([])
        self.assertEqual(visible.user_id, visible.user_id & self.operator, "operators see only their own logins")
        self.assertNotIn(recent, visible)


@tagged("post_install", "-at_install")
class TestLoginFlow(CtrlAssertMixin, HttpCase):
    def test_login_log_records_success_and_failure(self):
        user = new_test_user(self.env, "bk_login_user", groups="base.group_user", password="login-pass-123")
        Users = self.registry["res.users"]
        # Not assertRaises: Odoo's rolls back its savepoint, and with it the log of the failure.
        denied = False
        try:
            Users.authenticate(self.env.cr.dbname, {"type": "password", "login": "bk_login_user",
                                                    "password": "wrong-password"}, {"interactive": True})
        except AccessDenied:
            denied = True
        self.assertTrue(denied)
        Users.authenticate(self.env.cr.dbname, {"type": "password", "login": "bk_login_user",
                                                "password": "login-pass-123"}, {"interactive": True})
        logs = self.env["ctrl.backup.login.log"].search([("login", "=", "bk_login_user")])
        self.assertEqual(sorted(logs.mapped("success")), [False, True])
        self.assertEqual(logs.user_id, user)

    def test_must_change_redirects_to_password_page(self):
        admin = new_test_user(self.env, "bk_pw_admin2",
                              groups="base.group_system,base.group_user,base.group_partner_manager")
        user = self.env["res.users"].with_user(admin).create({
            "name": "Flagged", "login": "bk_flagged", "password": "Temp-12345"})
        self.assertTrue(user.ctrl_password_must_change)
        self.authenticate("bk_flagged", "Temp-12345")
        response = self.url_open("/odoo")
        self.assertTrue(response.url.endswith("/web/ctrl_backup/password"), response.url)
        token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        page = self.url_open("/web/ctrl_backup/password", data={
            "old_password": "Temp-12345", "new_password": "short", "confirm_password": "short", "csrf_token": token,
        })
        self.assertIn("at least 10 characters", page.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page = self.url_open("/web/ctrl_backup/password", data={
            "old_password": "Temp-12345", "new_password": "a-long-new-pass", "confirm_password": "a-long-new-pass",
            "csrf_token": token,
        })
        user.invalidate_recordset()
        self.assertFalse(user.ctrl_password_must_change)
        self.assertFalse(page.url.endswith("/web/ctrl_backup/password"), page.url)

    def test_normal_user_reaches_the_web_client(self):
        new_test_user(self.env, "bk_normal_user", groups="base.group_user", password="normal-pass-1")
        self.authenticate("bk_normal_user", "normal-pass-1")
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.url.endswith("/web/ctrl_backup/password"))
