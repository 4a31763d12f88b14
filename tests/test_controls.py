# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every guarded document of every ctrl addon, attacked the same way a client
can: its protected fields written through create and write, with every
context key that the addons consult set by the client."""
import re
from pathlib import Path

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

ADDONS = Path(__file__).resolve().parent.parent / "addons"
CONTEXT_READ = re.compile(r"""context\.get\(\s*["']([a-z_]+)["']"""
                          r"""|["']([a-z_]+)["']\s+in\s+(?:self\.)?(?:env\.)?_?context"""
                          r"""|with_context\(\s*([a-z_]+)\s*=""")


def consulted_context_keys():
    """The context keys the addons' code reads or sets (tests excluded)."""
    keys = set()
    for path in ADDONS.glob("*/**/*.py"):
        if "tests" in path.parts:
            continue
        for match in CONTEXT_READ.finditer(path.read_text()):
            keys.add(next(group for group in match.groups() if group))
    return keys


@tagged("post_install", "-at_install")
class TestControlsHold(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The language is a key every client sends (a code Odoo checks), not a switch: the others set to True.
        cls.client_context = {key: True for key in consulted_context_keys() if key != "lang"}
        # Every ctrl group, so that only the controls stand between the user and the field.
        groups = cls.env["res.groups"].search([("category_id", "child_of",
                                                cls.env.ref("ctrl_base.module_category_internal_control").id)])
        cls.insider = new_test_user(cls.env, "ctrl_insider", groups="base.group_user")
        cls.insider.groups_id += groups
        # By the mixin's own method, not by class identity: test registries (odoo_test_helper) rebuild classes.
        cls.guarded = sorted(name for name, model in cls.env.registry.items()
                             if not model._abstract and not model._transient and hasattr(model, "_ctrl_protected")
                             and not name.startswith("ctrl.base.test"))

    def test_context_keys_are_collected(self):
        # The scan finds the keys that once skipped checks, so the attacks below carry them.
        self.assertIn("ctrl_escalation_today", self.client_context)
        self.assertFalse({"ctrl_credit_checked", "ctrl_checklist_sign", "ctrl_backup_keep_approval",
                          "ctrl_backup_media_workflow"} & set(self.client_context),
                         "no addon reads a context key that skips a check")

    def test_every_guarded_model_refuses_protected_fields(self):
        self.assertGreaterEqual(len(self.guarded), 10, self.guarded)
        env = self.env(user=self.insider, context=self.client_context)
        for name in self.guarded:
            Model = env[name]
            for field_name in sorted(Model._ctrl_protected()):
                field = Model._fields[field_name]
                value = self._forged_value(field)
                with self.subTest(model=name, field=field_name):
                    if field.type not in ("one2many", "many2many"):
                        with self.assertRaisesRegex(AccessError, "set by its workflow"):
                            Model.create({field_name: value})
                    with self.assertRaisesRegex(AccessError, "change only through"):
                        Model.browse(self._some_id(name)).write({field_name: value})

    def _forged_value(self, field):
        if field.type == "selection":
            default = self.env[field.model_name].default_get([field.name]).get(field.name)
            return next(key for key, _label in reversed(field._description_selection(self.env)) if key != default)
        if field.type == "many2one":
            return self.env[field.comodel_name].sudo().search([], limit=1).id or 1
        if field.type in ("one2many", "many2many"):
            return [(6, 0, [])]
        if field.type == "boolean":
            return True
        if field.type in ("integer", "float", "monetary", "many2one_reference"):
            return 999999
        if field.type == "date":
            return "2020-01-01"
        if field.type == "datetime":
            return "2020-01-01 00:00:00"
        return "forged"

    def _some_id(self, model_name):
        return self.env[model_name].sudo().search([], limit=1).id or 1


@tagged("post_install", "-at_install")
class TestDecisionButtons(TransactionCase):
    """Approve and Withdraw are shown only to whom the server lets decide or withdraw."""

    def test_withdraw_and_approve_buttons_ask_the_server(self):
        models = [name for name in self.env.registry
                  if name.startswith("ctrl.") and "ctrl_approval_can_withdraw" in self.env[name]._fields
                  and not self.env[name]._abstract and not self.env[name]._transient]
        checked = 0
        for name in models:
            arch, _view = self.env[name]._get_view(view_type="form")  # with its groups attributes
            for button in arch.xpath("//button[@name='action_ctrl_withdraw']"):
                self.assertIn("not ctrl_approval_can_withdraw", button.get("invisible", ""), name)
                checked += 1
            for button in arch.xpath("//button[@name='action_approve']"):
                # An approval-mixin document's own Approve button follows its pending request's rights.
                if "ctrl_approval_can_decide" not in button.get("invisible", ""):
                    self.assertTrue(button.get("groups"), f"{name}: Approve shown to everyone")
                checked += 1
        self.assertGreater(checked, 5)
