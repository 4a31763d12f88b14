# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResGroups(models.Model):
    """Adding users to a group, or making it imply another, passes the same
    check of incompatible duties as the user form (see res.users)."""

    _inherit = "res.groups"

    @api.model_create_multi
    def create(self, vals_list):
        groups = super().create(vals_list)
        Conflict = self.env["ctrl.duty.conflict"]
        Conflict._check_new_conflicts(Conflict._refused_users(groups.users), set())
        return groups

    def write(self, vals):
        if not {"users", "implied_ids"} & set(vals):
            return super().write(vals)
        Conflict = self.env["ctrl.duty.conflict"]
        # Users added by this write are not in the groups yet: what every user holds now is the reference.
        checking = bool(Conflict._refused_users(self.env["res.users"].sudo().search([("share", "=", False)])))
        before = Conflict.sudo().search([])._holders() if checking else set()
        result = super().write(vals)
        if checking:
            # Odoo stores the implied groups on each user: the users of these groups cover every user affected.
            Conflict._check_new_conflicts(Conflict._refused_users(self.sudo().users.with_env(self.env)), before)
        return result
