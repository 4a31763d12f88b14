# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CJK, CtrlAssertMixin, load_language, reader_env


@tagged("post_install", "-at_install")
class TestTranslations(CtrlAssertMixin, TransactionCase):
    """Grades, criteria, approval steps and ladders in English and Chinese; every term in zh_CN.po."""

    def test_data_in_both_languages(self):
        self.assertGreater(self.assertTranslatedData("ctrl_credit"), 40)

    def test_every_term_translated(self):
        self.assertGreater(self.assertPoComplete("ctrl_credit"), 300)

    def test_each_user_reads_their_language(self):
        load_language(self.env, "zh_CN", ["ctrl_credit"])
        records = [self.env.ref("ctrl_credit.grade_a"), self.env.ref("ctrl_credit.criterion_character"),
                   self.env.ref("ctrl_credit.visit_tier_n26"),
                   *self.env.ref("ctrl_credit.approval_hold_release").step_ids]
        names = {}
        for lang in ("en_US", "zh_CN"):
            user = new_test_user(self.env, f"credit_{lang}", groups="ctrl_credit.group_credit_manager", lang=lang)
            env = reader_env(user)
            names[lang] = [record.with_env(env).name for record in records]
        self.assertEqual(names["en_US"][:2], ["A: excellent", "Character"])
        self.assertFalse([name for name in names["en_US"] if CJK.search(name)], names["en_US"])
        self.assertTrue(all(CJK.search(name) for name in names["zh_CN"]), names["zh_CN"])
