# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, models

from ..tools.demo_roles import DEMO_PASSWORD, DEMO_ROLES, demo_user_xmlid


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _ctrl_demo_users(self):
        """Create or update the demo user of each role whose groups are installed, with exactly the role's
        groups. Every ctrl addon's demo data calls it: an app installed after a user was created gives its
        template groups to every existing user (Odoo's default user), and this takes them back."""
        company = self.env.ref("base.main_company")
        data = []
        for login, (name, job, group_xmlids) in DEMO_ROLES.items():
            groups = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in group_xmlids]
            if not groups[0]:
                continue
            values = {
                "name": name, "login": login, "function": job,
                "company_id": company.id, "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([group.id for group in groups if group])],
            }
            if not self.env.ref(demo_user_xmlid(login), raise_if_not_found=False):
                values["password"] = DEMO_PASSWORD
            data.append({"xml_id": demo_user_xmlid(login), "noupdate": True, "values": values})
        return self.with_context(no_reset_password=True)._load_records(data)

    # A user given both duties of an incompatible pair is refused, when their company says so
    # (003/D7 第四条). Only new pairs are refused: the ones held already are listed by the report.
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
