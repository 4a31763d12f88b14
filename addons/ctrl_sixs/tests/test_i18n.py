# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged

from odoo.addons.ctrl_base.tests.common import CJK, CtrlAssertMixin, load_language

I18N = Path(__file__).parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestTranslations(CtrlAssertMixin, TransactionCase):
    def test_data_in_both_languages(self):
        """Categories, templates, the check items, groups, approval steps and ladders in both languages."""
        self.assertGreater(self.assertTranslatedData("ctrl_sixs"), 150)

    def test_every_term_translated(self):
        self.assertGreater(self.assertPoComplete("ctrl_sixs"), 700)

    def test_award_named_in_reader_language(self):
        """An award's name quotes its type in the reader's language."""
        load_language(self.env, "zh_CN", ["ctrl_sixs"])
        worker = self.env["hr.employee"].create({"name": "Worker"})
        award = self.env["ctrl.sixs.award"].with_context(lang="zh_CN").create({
            "award_type": "model_employee", "employee_id": worker.id,
            "period_start": "2026-03-01", "period_end": "2026-03-31"})
        self.assertEqual(award.with_context(lang="en_US").name, "Monthly 6S model employee 2026-03-01: Worker")
        self.assertIn("示范员", award.with_context(lang="zh_CN").name)
        self.assertFalse(CJK.search(award.with_context(lang="en_US").display_name))
    def test_area_path_in_reader_language(self):
        """An area shows its path in the reader's language (the stored path only orders the list)."""
        load_language(self.env, "zh_CN", ["ctrl_sixs"])
        Area = self.env["ctrl.sixs.area"].with_context(lang="en_US")
        workshop = Area.create({"name": "Assembly workshop", "level": "department"})
        line = Area.create({"name": "Line 1", "level": "process", "parent_id": workshop.id})
        workshop.update_field_translations("name", {"zh_CN": "装配车间"})
        line.update_field_translations("name", {"zh_CN": "一号线"})
        self.assertEqual(line.with_context(lang="en_US").display_name, "Assembly workshop / Line 1")
        self.assertEqual(line.with_context(lang="zh_CN").display_name, "装配车间 / 一号线")
        self.assertIn(line, Area.with_context(lang="zh_CN").search([("display_name", "ilike", "一号线")]))

    def test_library_in_chinese(self):
        """§11 items ship in English with the normalised Chinese in zh_CN.po."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "ctrl_sixs")])._update_translations(["zh_CN"])
        item = self.env.ref("ctrl_sixs.item_flr_01").with_context(lang="zh_CN")
        self.assertEqual(item.name, "保持通道顺畅,通道内不得摆放周转箱和物品", "坚持 normalised to 保持")
        self.assertEqual(self.env.ref("ctrl_sixs.category_s3").with_context(lang="zh_CN").name, "清扫")
        self.assertEqual(self.env["ctrl.sixs.item"].search_count([("code", "=like", "___-__"),
                                                                   ("area_id", "=", False)]), 146)

    def test_zh_cn_is_complete(self):
        """Every string of the template has its Chinese translation, placeholders kept."""
        translated = {entry.msgid: entry.msgstr for entry in polib.pofile(str(I18N / "zh_CN.po"))}
        for entry in polib.pofile(str(I18N / "ctrl_sixs.pot")):
            self.assertTrue(translated.get(entry.msgid), f"zh_CN.po lacks: {entry.msgid!r}")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "ctrl_sixs")])._update_translations(["zh_CN"])
        group = self.env.ref("ctrl_sixs.group_sixs_admin_director").with_context(lang="zh_CN")
        self.assertEqual(group.name, "6S 行政总监")
