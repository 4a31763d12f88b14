# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        res = super()._load_module_terms(modules, langs, overwrite=overwrite, imported_module=imported_module)
        self._ctrl_translate_defaults(langs, overwrite=overwrite)
        return res

    def _ctrl_translate_defaults(self, langs, overwrite=False):
        """Translate the records the ctrl addons create by code (they have no xml
        id for the loader of ``i18n/*.po``) into ``langs``: each addon adds its own,
        with ``ctrl_base.tools.i18n.translate_code_terms``."""
