# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21, a newcomer's first hour in the backup screens: plain words, named
records, helpful empty screens and only the buttons the server accepts."""
import re

from lxml import etree

from odoo import models
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase

# Policy references ("seed 000 B01-16", "000/B09-05", "V14 5.5") and technical names that must not reach a screen.
CODES = re.compile(r"\bV\d{2}\b|\b\d{3}/[A-Z]|\b[A-Z]\d{2}-\d{2}\b|\b\d{3} [A-Z]\d{2}\b|\b[A-Z]\d\.\d\b")
TECHNICAL = re.compile(r"\bctrl[._][a-z_.]+|_ctrl_|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")


def screen_texts(env, module):
    """What a user of ``module`` reads: its views' texts and labelling attributes (not field names,
    comments or expressions), its fields' labels, help and selection labels, its window actions'
    names and help, its menus and its models' names."""
    ids = {}
    for row in env["ir.model.data"].search([("module", "=", module)]):
        ids.setdefault(row.model, []).append(row.res_id)
    for view in env["ir.ui.view"].browse(ids.get("ir.ui.view", [])):
        for node in etree.fromstring(view.arch_db.encode()).iter(etree.Element):
            for text in [node.text, node.tail] + [node.get(attr) for attr in
                                                 ("string", "help", "placeholder", "title", "confirm", "sum")]:
                if text and text.strip():
                    yield view.xml_id, text
    for field in env["ir.model.fields"].browse(ids.get("ir.model.fields", [])):
        for text in (field.field_description, field.help or "", *field.selection_ids.mapped("name")):
            yield f"{field.model}.{field.name}", text
    for action in env["ir.actions.act_window"].browse(ids.get("ir.actions.act_window", [])):
        yield action.xml_id, action.name
        yield action.xml_id, etree.fromstring(f"<div>{action.help}</div>").xpath("string()") if action.help else ""
    for menu in env["ir.ui.menu"].browse(ids.get("ir.ui.menu", [])):
        yield f"menu {menu.id}", menu.name
    for model in env["ir.model"].browse(ids.get("ir.model", [])):
        yield model.model, model.name


@tagged("post_install", "-at_install")
class TestNewcomer(CtrlBackupCase):
    def test_no_policy_codes_or_technical_names_on_screen(self):
        for where, text in screen_texts(self.env, "ctrl_backup"):
            self.assertFalse(CODES.search(text), f"{where}: {text}")
            self.assertFalse(TECHNICAL.search(text), f"{where}: {text}")

    def test_every_record_has_a_readable_name(self):
        res_ids = self.env["ir.model.data"].search(
            [("module", "=", "ctrl_backup"), ("model", "=", "ir.model")]).mapped("res_id")
        checked = 0
        for model_name in set(self.env["ir.model"].browse(res_ids).mapped("model")):
            Model = self.env[model_name]
            if Model._abstract or Model._transient:
                continue
            custom = type(Model)._compute_display_name is not models.BaseModel._compute_display_name
            self.assertTrue(Model._rec_name or custom, f"{model_name} shows as '{model_name},<id>'")
            checked += 1
        self.assertGreater(checked, 10)
        employee = self.env["hr.employee"].create({"name": "Uploader"})
        upload = self.env["ctrl.backup.upload"].create({"employee_id": employee.id})
        self.assertEqual(upload.display_name, "Uploader")

    def test_empty_screens_explain_themselves(self):
        for xmlid in ("action_ctrl_backup_log", "action_ctrl_backup_loan", "action_ctrl_backup_destruction",
                      "action_ctrl_backup_restore_request", "action_ctrl_backup_incident"):
            action = self.env.ref(f"ctrl_backup.{xmlid}")
            self.assertIn("o_view_nocontent_smiling_face", action.help or "", xmlid)
            self.assertGreater(len(etree.fromstring(f"<div>{action.help}</div>").xpath("string()").strip()), 60)

    def test_new_documents_are_not_titled_slash(self):
        for model in ("ctrl.backup.loan", "ctrl.backup.destruction", "ctrl.backup.restore.request"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            title = etree.fromstring(arch).xpath("//div[hasclass('oe_title')]")[0]
            self.assertEqual(title.xpath(".//field[@name='name']")[0].get("invisible"), "not id", model)
            self.assertIn("New", etree.tostring(title, encoding="unicode"), model)

    def test_withdraw_shown_only_to_whom_the_server_allows(self):
        plan = self._plan()
        plan.with_user(self.manager).action_submit()
        other_manager = new_test_user(self.env, "bk_manager2", groups="ctrl_backup.group_backup_manager")
        self.assertTrue(plan.with_user(self.manager).ctrl_approval_can_withdraw)
        self.assertFalse(plan.with_user(other_manager).ctrl_approval_can_withdraw)
        with self.assertRaises(AccessError):
            plan.with_user(other_manager).action_ctrl_withdraw()
        for model in ("ctrl.backup.plan", "ctrl.backup.loan", "ctrl.backup.destruction",
                      "ctrl.backup.restore.request"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            button = etree.fromstring(arch).xpath("//button[@name='action_ctrl_withdraw']")[0]
            self.assertIn("not ctrl_approval_can_withdraw", button.get("invisible"), model)
        plan.with_user(self.manager).action_ctrl_withdraw()
        self.assertEqual(plan.state, "draft")
