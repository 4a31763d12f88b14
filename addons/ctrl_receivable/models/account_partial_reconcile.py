# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools.sql import create_index


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def init(self):
        result = super().init()
        # Aging as of a past date reads only the partials dated after it.
        create_index(self.env.cr, "ctrl_account_partial_reconcile_max_date_idx",
                     self._table, ["max_date"])
        return result
