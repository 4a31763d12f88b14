# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "ctrl.checklist.mixin"]

    # Not on the public profile: only HR officers see an employee's checklists.
    ctrl_checklist_ids = fields.One2many(groups="hr.group_hr_user")
    ctrl_checklist_count = fields.Integer(groups="hr.group_hr_user")

    def _ctrl_checklist_check_user_deactivated(self):
        """Archiving an employee leaves their Odoo user active: it must be deactivated or transferred."""
        self.ensure_one()
        if self.user_id and self.user_id.active:
            return _("%(employee)s's Odoo user %(login)s is still active: archive it or transfer it first.",
                     employee=self.name, login=self.user_id.login)
        return ""

    def _ctrl_checklist_check_media_returned(self):
        """Borrowed backup media must be back and signed for (seed 000 B01-12)."""
        self.ensure_one()
        loans = self.env["ctrl.backup.loan"].sudo().search([
            ("borrower_id", "=", self.user_id.id), ("state", "=", "issued"),
        ]) if self.user_id else self.env["ctrl.backup.loan"]
        if loans:
            return _("%(employee)s still holds backup media: %(media)s. Have them returned first.",
                     employee=self.name, media=", ".join(loans.media_id.mapped("display_name")))
        return ""
