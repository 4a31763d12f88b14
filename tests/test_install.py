# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Cross-addon checks: every ctrl addon is installed, and its screens sit where users look."""
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ADDONS = sorted(p.name for p in (Path(__file__).parent.parent / "addons").iterdir() if (p / "__manifest__.py").exists())


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_all_addons_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", ADDONS)])
        self.assertEqual(sorted(modules.mapped("name")), ADDONS)
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def _ctrl_models(self):
        models = self.env["ir.model"].search([("model", "=like", "ctrl.%"), ("transient", "=", False)])
        return models.filtered(
            lambda m: not m.model.startswith("ctrl.base.test") and not self.env[m.model]._abstract
        )

    def test_every_model_has_user_and_manager_access(self):
        """Each ctrl model grants access to at least two groups (user and manager)."""
        models = self._ctrl_models()
        self.assertTrue(models)
        for model in models:
            groups = model.access_ids.group_id
            self.assertGreaterEqual(len(groups), 2, f"{model.model} needs user and manager access rules")

    def test_internal_control_settings_section(self):
        view = self.env.ref("ctrl_base.res_config_settings_view_form")
        self.assertIn('name="ctrl_base"', view.arch_db)

    def test_internal_control_menu(self):
        menu = self.env.ref("ctrl_base.menu_ctrl_root")
        self.assertIn(self.env.ref("ctrl_base.menu_ctrl_approval_to_decide"), menu.child_id.child_id)

    def test_company_models_have_multi_company_rules(self):
        """Each ctrl model with a stored company has a record rule on it."""
        for model in self._ctrl_models():
            field = self.env[model.model]._fields.get("company_id")
            if not field or not field.store:
                continue
            rules = self.env["ir.rule"].search([("model_id", "=", model.id)])
            self.assertTrue(rules.filtered(lambda r: "company" in (r.domain_force or "")),
                            f"{model.model} needs a multi-company record rule")
