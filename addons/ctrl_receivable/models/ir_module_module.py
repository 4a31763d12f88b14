# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _ctrl_translate_defaults(self, langs, overwrite=False):
        res = super()._ctrl_translate_defaults(langs, overwrite=overwrite)
        self.env["ctrl.aging.scheme"].sudo()._translate_defaults(langs, overwrite=overwrite)
        return res
