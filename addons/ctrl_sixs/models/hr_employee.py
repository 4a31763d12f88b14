# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    ctrl_sixs_service_start = fields.Date(
        "6S service start", default=fields.Date.context_today,
        help="Start of service that counts for the 6S duty-officer rota. "
        "Empty: the employee's creation date.")

    def _ctrl_sixs_service_start(self):
        self.ensure_one()
        return self.ctrl_sixs_service_start or fields.Date.to_date(self.create_date) or fields.Date.today()

    def _ctrl_sixs_eligible_on(self, day, months):
        """True when the employee has at least ``months`` of service on ``day``."""
        self.ensure_one()
        return self._ctrl_sixs_service_start() + relativedelta(months=months) <= day


class HrEmployeePublic(models.Model):
    """The rota's service start is public, like the other employee facts that
    colleagues see: without it, users who read employees through the public
    profile could not read a record that has the field."""

    _inherit = "hr.employee.public"

    ctrl_sixs_service_start = fields.Date("6S service start", readonly=True)
