# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21, a newcomer's first hour in the 6S screens: each finding replayed by
the role that met it, with only that role's groups."""
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestNewcomer(SixsCase):
    # 1. An audit is signed off only when every item is answered ----------------------
    def test_sign_off_refused_while_items_are_unanswered(self):
        audit = self.env["ctrl.sixs.audit"].with_user(self.inspector).create(
            {"area_id": self.zone1.id, "tier": "routine"})
        first, second = audit.line_ids
        first.result = "ok"
        with self.assertRaisesRegex(UserError, r"cannot be signed off: 1 of 2 check items have no result"):
            audit.action_done()
        with self.assertRaisesRegex(ValidationError, "Why not applicable"):
            second.write({"result": "na"})
        second.write({"result": "na", "na_reason": "No fire exit in this zone"})
        audit.action_done()
        self.assertEqual(audit.state, "done")
        self.assertEqual(second.na_reason, "No fire exit in this zone")
        with self.assertRaises(UserError):
            second.with_user(self.inspector).write({"na_reason": "Changed after sign-off"})

    def test_a_blank_reason_is_no_reason(self):
        audit = self.audit(self.zone1, publish=False, user=self.inspector)
        with self.assertRaises(ValidationError):
            audit.line_ids[0].write({"result": "na", "na_reason": "   "})

    def test_checklist_rows_cannot_be_deleted(self):
        audit = self.env["ctrl.sixs.audit"].with_user(self.inspector).create(
            {"area_id": self.zone1.id, "tier": "routine"})
        line = audit.line_ids[0]
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            line.unlink()
        with self.assertRaisesRegex(UserError, "cannot be removed"):
            audit.write({"line_ids": [Command.delete(line.id)]})
        check = self.env["ctrl.sixs.audit"].with_user(self.worker_a.user_id).create(
            {"area_id": self.zone1.id, "tier": "self_check"})
        with self.assertRaises(AccessError):  # the audited party never deletes lines
            check.line_ids[:1].unlink()
        self.assertEqual(len(audit.line_ids), 2)
        # The whole draft audit may still go, with its lines; a system administrator may remove a line.
        admin = new_test_user(self.env, "sixs_sysadmin", groups="base.group_system,ctrl_sixs.group_sixs_manager",
                              company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        audit.line_ids[1].with_user(admin).unlink()
        check.with_user(self.manager).unlink()
        self.assertFalse(check.exists())
        arch = self.env["ctrl.sixs.audit"].get_views([(False, "form")])["views"]["form"]["arch"]
        lines = etree.fromstring(arch).xpath("//field[@name='line_ids']/list")[0]
        self.assertEqual(lines.get("delete"), "0")
        self.assertEqual(lines.get("create"), "0")
        reason = lines.xpath("field[@name='na_reason']")[0]
        self.assertEqual(reason.get("required"), "result == 'na'")

    # 2. Buttons for whom the server accepts them ---------------------------------------
    def test_appeal_buttons_follow_the_arbiter_check(self):
        audit = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 3, 3)])
        line = audit.line_ids.filtered(lambda li: li.result == "nok")
        appeal = self.env["ctrl.sixs.appeal"].with_user(self.worker_a.user_id).create(
            {"line_id": line.id, "reason": "The boxes belong to the night shift."})
        self.assertFalse(appeal.can_decide, "not submitted yet")
        appeal.action_submit()
        self.assertFalse(appeal.with_user(self.worker_a.user_id).can_decide, "the appellant")
        self.assertFalse(appeal.with_user(self.inspector).can_decide, "not in the arbiter group")
        with self.assertRaises(AccessError):
            appeal.with_user(self.inspector).action_accept("I agree")
        self.assertTrue(appeal.with_user(self.manager).can_decide)
        arch = self.env["ctrl.sixs.appeal"].get_views([(False, "form")])["views"]["form"]["arch"]
        buttons = {b.get("name"): b.get("invisible") for b in etree.fromstring(arch).iter("button")}
        self.assertIn("not can_decide", buttons["action_accept"])
        self.assertIn("not can_decide", buttons["action_reject"])
        appeal.with_user(self.manager).action_accept("Night shift left them.")
        self.assertEqual(line.na_reason, f"Appeal {appeal.name} accepted")
        self.assertFalse(appeal.with_user(self.manager).can_decide)

    def test_withdraw_buttons_ask_the_server(self):
        for model in ("ctrl.sixs.point", "ctrl.sixs.award", "ctrl.sixs.payroll"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            button = etree.fromstring(arch).xpath("//button[@name='action_ctrl_withdraw']")[0]
            self.assertIn("not ctrl_approval_can_withdraw", button.get("invisible"), model)

    # 3. Plain words on screen ----------------------------------------------------------
    def test_no_policy_codes_or_technical_names_on_screen(self):
        self.assertPlainWords("ctrl_sixs")

    def test_every_record_has_a_readable_name(self):
        self.assertTrue(self.assertReadableNames("ctrl_sixs"))
        audit = self.audit(self.zone1, publish=False)
        line = audit.line_ids.filtered(lambda li: li.item_id == self.item1)
        self.assertEqual(line.display_name, f"{audit.name} - [T-01] Aisles clear")
        self.assertEqual(self.item1.area_type_labels, "Every zone type")
        self.item1.area_types = "personal_desk, workshop"
        self.assertEqual(self.item1.area_type_labels, "Personal desk, Workshop")

    def test_new_audit_is_titled_new(self):
        arch = self.env["ctrl.sixs.audit"].get_views([(False, "form")])["views"]["form"]["arch"]
        title = etree.fromstring(arch).xpath("//div[hasclass('oe_title')]")[0]
        self.assertEqual(title.xpath(".//field[@name='name']")[0].get("invisible"), "not id")
        self.assertIn("New", etree.tostring(title, encoding="unicode"))

    # 4. Empty screens say what they are for --------------------------------------------
    def test_empty_screens_explain_themselves(self):
        for xmlid in ("ctrl_sixs.ctrl_sixs_appeal_action", "ctrl_sixs.ctrl_sixs_rota_action"):
            action = self.env.ref(xmlid)
            self.assertIn("o_view_nocontent_smiling_face", action.help or "", xmlid)
            self.assertGreater(len(etree.fromstring(f"<div>{action.help}</div>").xpath("string()").strip()), 60)
