# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21, the 6S audit on a phone: one card per item with OK / Not OK / N/A, a photo
required before a Not OK is saved, the sign-off, the corrective action and the rankings."""
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import PHOTO, SixsCase


class PhoneAuditCase(SixsCase):
    """A paint line with three check items (two from the workshop template, one local) and
    an inspection of it due today, in the inspector's own day."""

    def setUp(self):
        super().setUp()
        company_vals = {"company_id": self.company.id, "company_ids": [Command.set(self.company.ids)]}
        self.phone_inspector = new_test_user(self.env, "sixs_phone", groups="ctrl_sixs.group_sixs_inspector",
                                             name="Lin Wei", tz="Asia/Shanghai", **company_vals)
        self.paint_line = self.env["ctrl.sixs.area"].create({
            "name": "Paint line", "level": "zone", "zone_type": "workshop", "parent_id": self.proc1.id,
            "responsible_id": self.worker_b.id})
        self.labels = self.env["ctrl.sixs.item"].create({
            "code": "T-03", "name": "Tool board labels readable", "area_id": self.paint_line.id,
            "category_id": self.env.ref("ctrl_sixs.category_s2").id, "company_id": self.company.id})
        self.local_today = fields.Date.context_today(self.phone_inspector.with_context(tz="Asia/Shanghai"))
        self.phone_audit = self.env["ctrl.sixs.audit"].with_user(self.manager).create({
            "area_id": self.paint_line.id, "tier": "routine", "scheduled_date": self.local_today,
            "inspector_id": self.phone_inspector.id})

    def card(self, item):
        return self.phone_audit.line_ids.filtered(lambda line: line.item_id == item)


@tagged("post_install", "-at_install")
class TestAnswerCards(PhoneAuditCase):
    def test_not_ok_needs_a_note_and_a_photo(self):
        fire_exit = self.card(self.item2).with_user(self.phone_inspector)
        with self.assertRaisesRegex(ValidationError, "Fire exits clear is answered Not OK: describe what was found "
                                                     "in 'Note'"):
            fire_exit.write({"result": "nok"})
        with self.assertRaisesRegex(ValidationError, "take a photo of what was found in 'Photo'"):
            fire_exit.write({"result": "nok", "note": "Pallets in front of the fire exit"})
        self.assertFalse(fire_exit.result)
        # The dialog saves the photo and the note, then its button saves the answer.
        dialog = fire_exit.action_answer_nok()
        self.assertEqual((dialog["res_id"], dialog["target"]), (fire_exit.id, "new"))
        self.assertEqual(dialog["views"][0][0], self.env.ref("ctrl_sixs.ctrl_sixs_audit_line_view_form_finding").id)
        fire_exit.write({"note": "Pallets in front of the fire exit"})
        with self.assertRaisesRegex(ValidationError, "'Photo'"):
            fire_exit.action_save_nok()
        fire_exit.write({"photo": PHOTO})
        fire_exit.action_save_nok()
        self.assertEqual(fire_exit.result, "nok")
        # Taking the photo off a finding is refused too.
        with self.assertRaisesRegex(ValidationError, "'Photo'"):
            fire_exit.write({"photo": False})

    def test_photo_requirement_is_a_company_setting(self):
        self.company.ctrl_sixs_finding_photo = False
        aisles = self.card(self.item1).with_user(self.phone_inspector)
        with self.assertRaisesRegex(ValidationError, "'Note'"):
            aisles.write({"result": "nok"})
        aisles.write({"result": "nok", "note": "Boxes in the aisle"})
        self.assertEqual(aisles.result, "nok")

    def test_buttons_answer_through_the_guards(self):
        aisles = self.card(self.item1)
        aisles.with_user(self.phone_inspector).action_answer_ok()
        self.assertEqual(aisles.result, "ok")
        labels = self.card(self.labels).with_user(self.phone_inspector)
        self.assertEqual(labels.action_answer_na()["views"][0][0],
                         self.env.ref("ctrl_sixs.ctrl_sixs_audit_line_view_form_na").id)
        with self.assertRaisesRegex(ValidationError, "Why not applicable"):
            labels.action_save_na()
        labels.write({"na_reason": "No tool board yet"})
        labels.action_save_na()
        self.assertEqual(labels.result, "na")
        # The audited party does not answer an inspection, not even through the cards.
        with self.assertRaisesRegex(AccessError, "Only 6S inspectors answer inspection"):
            self.card(self.item2).with_user(self.worker_b.user_id).action_answer_ok()
        with self.assertRaises(AccessError):
            self.card(self.item2).with_user(self.worker_b.user_id).action_answer_nok()
        # Sign-off is refused while an item is unanswered (the rule the cards reuse).
        with self.assertRaisesRegex(UserError, "1 of 3 check items have no result"):
            self.phone_audit.with_user(self.phone_inspector).action_done()
        self.card(self.item2).with_user(self.phone_inspector).action_answer_ok()
        self.phone_audit.with_user(self.phone_inspector).action_done()
        with self.assertRaisesRegex(UserError, "is signed off"):
            aisles.with_user(self.phone_inspector).action_answer_nok()
        with self.assertRaises(UserError):
            aisles.with_user(self.phone_inspector).action_answer_ok()

    def test_finding_photo_goes_to_its_corrective_action(self):
        fire_exit = self.card(self.item2).with_user(self.phone_inspector)
        with self.assertRaisesRegex(UserError, "no corrective action yet"):
            fire_exit.action_open_corrective_action()
        fire_exit.write({"note": "Pallets in front of the fire exit", "photo": PHOTO})
        fire_exit.action_save_nok()
        (self.card(self.item1) | self.card(self.labels)).with_user(self.phone_inspector).action_answer_ok()
        self.phone_audit.with_user(self.phone_inspector).action_done()
        opened = fire_exit.action_open_corrective_action()
        action = self.env["ctrl.sixs.action"].browse(opened["res_id"])
        self.assertEqual((action.line_id, action.description), (fire_exit, "Pallets in front of the fire exit"))
        self.assertTrue(action.before_image, "the finding's photo is the before photo")
        self.assertEqual(action.before_image, fire_exit.photo)

    def test_cards_on_a_phone_rows_on_a_desktop(self):
        arch = self.env["ctrl.sixs.audit"].get_views([(False, "form")])["views"]["form"]["arch"]
        lines = etree.fromstring(arch).xpath("//field[@name='line_ids']")[0]
        cards = lines.xpath("kanban")[0]
        self.assertEqual([b.get("name") for b in cards.iter("button")],
                         ["action_answer_ok", "action_answer_nok", "action_answer_na",
                          "action_open_corrective_action"])
        self.assertEqual((cards.get("create"), cards.get("delete")), ("0", "0"))
        self.assertEqual(lines.xpath("list/field[@name='photo']")[0].get("required"),
                         "result == 'nok' and photo_required")
        finding = self.env["ctrl.sixs.audit.line"].get_views(
            [(self.env.ref("ctrl_sixs.ctrl_sixs_audit_line_view_form_finding").id, "form")])["views"]["form"]["arch"]
        photo = etree.fromstring(finding).xpath("//field[@name='photo']")[0]
        self.assertEqual((photo.get("widget"), photo.get("required")), ("ctrl_sixs_camera_image", "photo_required"))


@tagged("post_install", "-at_install")
class TestPhoneAuditTour(PhoneAuditCase, HttpCase):
    """The inspector's round on a 390x844 touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        # A published audit of Zone 1 this month, and the month's rankings, for the last screen.
        self.audit(self.zone1, findings=[(self.item1, self.worker_a, 3, 3)])
        self.env["ctrl.sixs.ranking"].with_company(self.company)._compute_rankings(
            self.today.replace(day=1), self.today, company=self.company)

    def test_phone_audit_tour(self):
        self.start_tour("/odoo/action-ctrl_sixs.ctrl_sixs_audit_action", "ctrl_sixs_phone_audit_tour",
                        login="sixs_phone")
        audit = self.phone_audit
        self.assertEqual((audit.state, audit.inspector_id), ("done", self.phone_inspector))
        self.assertEqual([(line.item_id, line.result) for line in audit.line_ids.sorted("id")],
                         [(self.item1, "ok"), (self.item2, "nok"), (self.labels, "na")])
        finding = self.card(self.item2)
        self.assertEqual(finding.note, "Pallets in front of the fire exit")
        self.assertTrue(finding.photo)
        self.assertEqual(self.card(self.labels).na_reason, "No tool board on the paint line yet")
        action = self.env["ctrl.sixs.action"].search([("line_id", "=", finding.id)])
        self.assertEqual(len(action), 1)
        self.assertEqual(action.before_image, finding.photo)
