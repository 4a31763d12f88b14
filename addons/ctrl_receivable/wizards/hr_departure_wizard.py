# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class HrDepartureWizard(models.TransientModel):
    _inherit = "hr.departure.wizard"

    def action_register_departure(self):
        """Start the departure checklist (which carries the receivables
        handover item); one open checklist per employee, so other addons
        starting it too do not duplicate it."""
        result = super().action_register_departure()
        self.employee_id._ctrl_checklist_start("departure", date_deadline=self.departure_date)
        return result
