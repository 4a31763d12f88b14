# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CJK, CtrlAssertMixin, load_language, reader_env


@tagged("post_install", "-at_install")
class TestTranslations(CtrlAssertMixin, TransactionCase):
    """The aging schemes the code creates for each company, the data files' records and the
    summaries computed once: each read in the reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_language(cls.env, "zh_CN", ["ctrl_receivable"])
        cls.users = {lang: new_test_user(cls.env, f"recv_{lang}", groups="ctrl_receivable.group_receivable_manager",
                                         lang=lang) for lang in ("en_US", "zh_CN")}

    def _as(self, lang, records):
        """``records`` as the user reading in ``lang`` sees them (the web client's context)."""
        user = self.users[lang]
        user.company_ids |= records.company_id
        return records.with_env(reader_env(user))

    def _assert_languages(self, records, fname="name"):
        english, chinese = self._as("en_US", records).mapped(fname), self._as("zh_CN", records).mapped(fname)
        self.assertFalse([text for text in english if CJK.search(text)], english)
        self.assertTrue(all(CJK.search(text) for text in chinese), chinese)
        return english, chinese

    def test_data_in_both_languages(self):
        self.assertGreater(self.assertTranslatedData("ctrl_receivable"), 40)

    def test_every_term_translated(self):
        self.assertGreater(self.assertPoComplete("ctrl_receivable"), 700)

    def test_default_schemes_in_both_languages(self):
        """The schemes created at install (before Chinese was loaded, in this database) and those of a
        company created afterwards (while Chinese is installed) are translated, buckets included."""
        later = self.env["res.company"].create({"name": "Company created in Chinese times"})
        for company in (self.env.company, later):
            collection, provision = company._ctrl_recv_scheme("collection"), company._ctrl_recv_scheme("provision")
            english, chinese = self._assert_languages(collection | provision)
            self.assertEqual(english, ["Collection (days past due)", "Provisioning (age in years)"])
            self.assertEqual(chinese, ["催收（逾期天数）", "计提（按年计算账龄）"])
            english, chinese = self._assert_languages(collection._ordered_buckets())
            self.assertEqual((english[0], chinese[0]), ("Not due", "未到期"))
            self._assert_languages(provision.bucket_ids)

    def test_scheme_created_in_chinese_keeps_english(self):
        """A company created by a user working in Chinese still gets English names in English."""
        company = self.env["res.company"].with_context(lang="zh_CN").create({"name": "Created in Chinese"})
        scheme = company._ctrl_recv_scheme("collection")
        self.assertEqual(self._as("en_US", scheme).name, "Collection (days past due)")
        self.assertEqual(self._as("zh_CN", scheme).name, "催收（逾期天数）")

    def test_aging_report_in_reader_language(self):
        """A report computed by one user reads in each reader's language: name, headers, buckets."""
        report = self._as("zh_CN", self.env["ctrl.aging.report"]).create({
            "date": fields.Date.context_today(self.env.user)})
        report.action_compute()
        english = self._as("en_US", report)
        self.assertTrue(english.name.startswith("Aging "), english.name)
        self.assertIn("(On demand)", english.name)
        self.assertIn("<th class='text-end'>Share</th>", str(english.bucket_summary_html))
        self.assertIn("<td>Not due</td>", str(english.bucket_summary_html))
        self.assertFalse(CJK.search(english.name + str(english.bucket_summary_html)))
        chinese = self._as("zh_CN", report)
        self.assertIn("<th class='text-end'>占比</th>", str(chinese.bucket_summary_html))
        self.assertIn("<td>未到期</td>", str(chinese.bucket_summary_html))
        self.assertTrue(CJK.search(chinese.name), chinese.name)
        # The name is searched on what it is made of (the date), in any language.
        self.assertIn(report, self.env["ctrl.aging.report"].search([("name", "ilike", str(report.date))]))
