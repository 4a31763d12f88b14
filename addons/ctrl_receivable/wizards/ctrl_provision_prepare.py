# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields, models


def _last_month_end(record):
    return fields.Date.context_today(record).replace(day=1) - timedelta(days=1)


class CtrlProvisionPrepare(models.TransientModel):
    """Prepare (or prepare again) the bad-debt provision run of a period."""

    _name = "ctrl.provision.prepare"
    _description = "Prepare a bad-debt provision run"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    date = fields.Date("Period end", required=True, default=_last_month_end)

    def action_prepare(self):
        self.ensure_one()
        run = self.env["ctrl.provision.run"].with_company(self.company_id)._prepare(self.company_id, self.date)
        return {"type": "ir.actions.act_window", "res_model": "ctrl.provision.run", "res_id": run.id,
                "view_mode": "form", "target": "current"}
