# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import TransactionCase, tagged

from .common import CJK, CtrlAssertMixin, CtrlBaseCase, load_language


@tagged("post_install", "-at_install")
class TestTranslations(CtrlAssertMixin, TransactionCase):
    """The data files' records in English and Chinese; every term of the addon in zh_CN.po."""

    def test_data_in_both_languages(self):
        self.assertGreater(self.assertTranslatedData("ctrl_base"), 20)

    def test_every_term_translated(self):
        self.assertGreater(self.assertPoComplete("ctrl_base"), 300)


@tagged("post_install", "-at_install")
class TestLanguages(CtrlBaseCase):
    """One language per screen: data in English and Chinese, generated text in the reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_language(cls.env, "zh_CN", ["ctrl_base"])
        cls.activity_type = cls.env.ref("ctrl_base.mail_activity_type_escalation")
        cls.ladder = cls.env["ctrl.escalation.ladder"].with_context(lang="en_US").create({
            "name": "Overdue documents", "code": "test_i18n", "model_id": cls.model.id, "date_field": "date_ref",
            "level_ids": [(0, 0, {"name": "Phone the customer", "days": 1, "activity_type_id": cls.activity_type.id,
                                  "responsible_type": "field", "responsible_field": "user_id",
                                  "activity_summary": "Phone the customer today"})],
        })
        cls.ladder.update_field_translations("name", {"zh_CN": "逾期单据"})
        cls.ladder.level_ids.update_field_translations("name", {"zh_CN": "给客户打电话"})
        cls.ladder.level_ids.update_field_translations("activity_summary", {"zh_CN": "今天给客户打电话"})

    def _escalate(self, company_lang, user):
        self.company.partner_id.lang = company_lang
        record = self.Record.create({"name": "Late", "date_ref": date(2026, 3, 1), "user_id": user.id})
        self.ladder._run_all(today=date(2026, 3, 31))
        return record

    def test_escalation_line_in_one_language(self):
        """The chatter line names the ladder and the level in the sentence's language (the company's),
        and the activity speaks its assignee's language."""
        self.clerk.lang = "en_US"
        record = self._escalate("zh_CN", self.clerk)
        body = record.message_ids[0].body
        self.assertIn("升级：逾期单据 已到达级别“给客户打电话”", body)
        self.assertNotIn("Overdue documents", body)
        self.assertEqual(record.activity_ids.summary, "Phone the customer today", "the clerk reads English")

        self.clerk.lang = "zh_CN"
        record = self._escalate("en_US", self.clerk)
        body = record.message_ids[0].body
        self.assertIn("Escalation: Overdue documents reached level 'Phone the customer'", body)
        self.assertFalse(CJK.search(body), body)
        self.assertEqual(record.activity_ids.summary, "今天给客户打电话", "the clerk reads Chinese")

    def test_scheduled_action_in_its_user_language(self):
        """A scheduled action reads names in the language its sentences are in: its user's."""
        action = self.env["ir.actions.server"].create({
            "name": "Record the language", "model_id": self.model.id, "state": "code",
            "code": "env['ir.config_parameter'].sudo().set_param('ctrl_base.test_cron_lang', env.lang or 'none')",
        })
        cron = self.env["ir.cron"].create({"name": "Record the language", "ir_actions_server_id": action.id,
                                           "interval_type": "days", "interval_number": 1})
        for lang in ("zh_CN", "en_US"):
            cron.user_id.lang = lang
            cron.method_direct_trigger()
            self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("ctrl_base.test_cron_lang"), lang)

    def test_approval_in_reader_language(self):
        """Step names and the document type are read in the reader's language, whoever created the request."""
        rule = self._rule("Test rule", [self.env.ref("ctrl_base.group_approver_gm")], 0, 0)
        rule.step_ids.with_context(lang="en_US").name = "General manager"
        rule.step_ids.update_field_translations("name", {"zh_CN": "总经理"})
        self.env["ir.model"]._get("ctrl.base.test.record").update_field_translations("name", {"zh_CN": "测试记录"})
        record = self.Record.with_user(self.clerk).with_context(lang="zh_CN").create({"name": "Deal"})
        request = record._ctrl_request_approval()
        english, chinese = request.with_context(lang="en_US"), request.with_context(lang="zh_CN")
        self.assertEqual(english.current_step_name, "General manager")
        self.assertEqual(chinese.current_step_name, "总经理")
        groups = self.env["ctrl.approval.request"].with_context(lang="zh_CN").read_group(
            [("id", "=", request.id)], ["document_type"], ["document_type"])
        self.assertEqual(groups[0]["document_type"], "ctrl.base.test.record")
        labels = dict(english._fields["document_type"]._description_selection(chinese.env))
        self.assertEqual(labels["ctrl.base.test.record"], "测试记录")
