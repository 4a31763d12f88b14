# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "ctrl.checklist.mixin"]

    def _ctrl_checklist_check_user_deactivated(self):
        """Archiving an employee leaves their Odoo user active: it must be deactivated or transferred."""
        self.ensure_one()
        if self.user_id and self.user_id.active:
            return _("%(employee)s's Odoo user %(login)s is still active: archive it or transfer it first.",
                     employee=self.name, login=self.user_id.login)
        return ""
