# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResUsers(models.Model):
    """A user given both duties of an incompatible pair is refused, when
    their company says so (003/D7 第四条). Only new pairs are refused: the
    ones held already are listed by the Incompatible duties report."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        Conflict = self.env["ctrl.duty.conflict"]
        Conflict._check_new_conflicts(Conflict._refused_users(users), set())
        return users

    def write(self, vals):
        Conflict = self.env["ctrl.duty.conflict"]
        if not self._ctrl_duty_changes(vals) or self.env.su:
            return super().write(vals)
        before = Conflict._conflicts_before(self)
        result = super().write(vals)
        Conflict._check_new_conflicts(Conflict._refused_users(self), before)
        return result

    @api.model
    def _ctrl_duty_changes(self, vals):
        # The user form sends the groups as reified fields (in_group_N, sel_groups_N_M).
        return any(key in ("groups_id", "company_ids", "active", "share")
                   or key.startswith(("in_group_", "sel_groups_")) for key in vals)
