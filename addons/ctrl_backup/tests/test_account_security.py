# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
import xmlrpc.client
from datetime import timedelta
from urllib.parse import urlparse

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
        with self.assertRaises(AccessError):
            Log.with_user(self.operator).search([])
        self.assertIn(recent, Log.with_user(self.it_head).search([]))

    def _other_company_staff(self):
        """Company B and its backup manager and IT head, who work in company B only."""
        company_b = self.env["res.company"].create({"name": "Backup Co B"})
        staff = {}
        for key, group in (("manager", "ctrl_backup.group_backup_manager"),
                           ("it_head", "base.group_user,ctrl_base.group_approver_it_head")):
            staff[key] = new_test_user(self.env, "bk_b_%s" % key, groups=group, company_id=company_b.id,
                                       company_ids=[fields.Command.set(company_b.ids)])
        return company_b, staff

    def test_login_log_by_company_for_managers_only(self):
        company_b, staff_b = self._other_company_staff()
        clerk_b = new_test_user(self.env, "bk_b_clerk", groups="base.group_user", company_id=company_b.id,
                                company_ids=[fields.Command.set(company_b.ids)])
        Log = self.env["ctrl.backup.login.log"]
        mine, theirs = (Log.create({"login": user.login, "user_id": user.id, "company_id": user.company_id.id,
                                    "success": True}) for user in (self.operator, clerk_b))
        for user in (self.manager, self.it_head):
            seen = Log.with_user(user).search([("login", "in", ("bk_operator", "bk_b_clerk"))])
            self.assertEqual(seen, mine, user.login)
        for user in staff_b.values():
            seen = Log.with_user(user).search([("login", "in", ("bk_operator", "bk_b_clerk"))])
            self.assertEqual(seen, theirs, user.login)
        for user in (self.operator, clerk_b, self.dept_head):
            with self.assertRaises(AccessError):
                Log.with_user(user).search([])

    def test_access_reviews_by_company(self):
        company_b, staff_b = self._other_company_staff()
        Review = self.env["ctrl.backup.access.review"]
        review = Review.create({
            "period": "2026-01-01", "reviewer_id": self.dept_head.id, "company_id": self.env.company.id,
            "line_ids": [fields.Command.create({"user_id": self.operator.id})],
        })
        for user in (self.manager, self.it_head, self.dept_head):
            self.assertIn(review, Review.with_user(user).search([]), user.login)
            self.assertIn(review.line_ids, review.line_ids.with_user(user).search([]), user.login)
        for user in staff_b.values():
            self.assertNotIn(review, Review.with_user(user).search([]), user.login)
            self.assertFalse(review.line_ids.with_user(user).search([("id", "in", review.line_ids.ids)]),
                             user.login)
            with self.assertRaises(AccessError):
                review.with_user(user).read(["name"])
        self.assertNotIn(review, Review.with_user(self.operator).search([]))


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
        self.assertEqual(logs.company_id, user.company_id, "the user's company, for the multi-company rule")

    def _flagged_user(self, login, password):
        """A user whose password an administrator set: it must change at the next login."""
        admin = new_test_user(self.env, login + "_admin",
                              groups="base.group_system,base.group_user,base.group_partner_manager")
        user = self.env["res.users"].with_user(admin).create({"name": login, "login": login, "password": password})
        self.assertTrue(user.ctrl_password_must_change)
        return user

    def _web_login(self, login, password):
        # A session cookie the server can replace: completing the login gives the session a new id.
        session = self.authenticate(None, None)
        self.opener.cookies.clear()
        self.opener.cookies.set("session_id", session.sid, domain=urlparse(self.base_url()).hostname, path="/")
        page = self.url_open("/web/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        return self.url_open("/web/login", data={"login": login, "password": password, "csrf_token": token})

    def _call_kw(self, model, method, args):
        response = self.url_open("/web/dataset/call_kw", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": {}},
        }), headers={"Content-Type": "application/json"})
        return response.json()

    def _execute_kw(self, uid, secret, *call):
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, secret, *call)

    def test_must_change_blocks_every_entry_point_until_changed(self):
        user = self._flagged_user("bk_flagged", "Temp-12345")
        api_key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "integration", None)
        # XML-RPC, with the password or an API key: refused with the reason.
        self.assertFalse(self.xmlrpc_common.authenticate(self.env.cr.dbname, "bk_flagged", "Temp-12345", {}))
        for secret in ("Temp-12345", api_key):
            with self.assertRaisesRegex(xmlrpc.client.Fault, "set by an administrator"):
                self._execute_kw(user.id, secret, "res.partner", "search_count", [[]])
        # The web login leads to the change-password page, and nothing else is open.
        page = self._web_login("bk_flagged", "Temp-12345")
        self.assertTrue(page.url.endswith("/web/ctrl_backup/password"), page.url)
        answer = self._call_kw("res.partner", "search_count", [[]])
        self.assertIn("set by an administrator", answer["error"]["data"]["message"])
        self.assertNotIn("result", answer)
        self.assertTrue(self.url_open("/odoo").url.endswith("/web/ctrl_backup/password"))
        # The change itself: the policy applies, then the login completes.
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
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
        self.assertIn("result", self._call_kw("res.partner", "search_count", [[]]))
        for secret in ("a-long-new-pass", api_key):
            self.assertGreater(self._execute_kw(user.id, secret, "res.partner", "search_count", [[]]), 0)

    def test_old_password_blocks_password_rpc_not_api_keys(self):
        user = new_test_user(self.env, "bk_old_pw", groups="base.group_user", password="old-password-1")
        api_key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "integration", None)
        user.sudo().ctrl_password_changed_at = fields.Datetime.now() - timedelta(days=91)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "more than 90 days"):
            self._execute_kw(user.id, "old-password-1", "res.partner", "search_count", [[]])
        self.assertGreater(self._execute_kw(user.id, api_key, "res.partner", "search_count", [[]]), 0)

    def test_normal_user_reaches_the_web_client(self):
        new_test_user(self.env, "bk_normal_user", groups="base.group_user", password="normal-pass-1")
        self.authenticate("bk_normal_user", "normal-pass-1")
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.url.endswith("/web/ctrl_backup/password"))
