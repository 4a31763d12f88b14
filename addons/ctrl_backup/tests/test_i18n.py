# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CJK, CtrlAssertMixin, load_language

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestTranslations(CtrlAssertMixin, TransactionCase):
    """Storage protections, checklists, approval steps and ladders in English and Chinese; every term in zh_CN.po."""

    def test_data_in_both_languages(self):
        self.assertGreater(self.assertTranslatedData("ctrl_backup"), 30)

    def test_every_term_translated(self):
        self.assertGreater(self.assertPoComplete("ctrl_backup"), 500)


@tagged("post_install", "-at_install")
class TestGeneratedNames(CtrlBackupCase):
    def test_access_review_named_in_reader_language(self):
        """A review the quarterly cron creates is named in each reader's language, not in the cron's."""
        load_language(self.env, "zh_CN", ["ctrl_backup"])
        clerk = new_test_user(self.env, "bk_i18n_clerk", groups="base.group_user")
        self.env["hr.employee"].create({"name": "Clerk", "user_id": clerk.id, "department_id": self.department.id})
        Review = self.env["ctrl.backup.access.review"].with_context(lang="zh_CN")
        review = Review._cron_generate().filtered(lambda r: r.department_id == self.department)
        english = review.with_context(lang="en_US").name
        self.assertTrue(english.startswith("Access review "), english)
        self.assertFalse(CJK.search(english), english)
        self.assertTrue(CJK.search(review.with_context(lang="zh_CN").name))
        self.assertIn(review, Review.search([("name", "ilike", "Finance (backup tests)")]))
