# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "ctrl.checklist.mixin"]

    # Not on the public profile: only HR officers see an employee's checklists.
    ctrl_checklist_ids = fields.One2many(groups="hr.group_hr_user")
    ctrl_checklist_count = fields.Integer(groups="hr.group_hr_user")

    def _ctrl_checklist_check_receivable_handover(self):
        """Departure checklist item (001/R38): the employee's user holds no
        open receivables, or has handed them over (a done handover)."""
        self.ensure_one()
        user = self.user_id
        if not user:
            return ""
        done = self.env["ctrl.receivable.handover"].sudo().search_count(
            [("user_id", "=", user.id), ("state", "=", "done")], limit=1)
        if done:
            return ""
        moves = user._ctrl_recv_open_invoices()
        if moves:
            return _("%(user)s still holds %(count)s open invoices: hand them over to a successor (Receivables "
                     "Control > Salesperson Handovers) and carry the handover out.",
                     user=user.name, count=len(moves))
        return ""
