# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class CtrlSixsRota(models.Model):
    """The 6S duty officer (6S值班员) of a unit for one day (V14: rotates daily; an
    employee needs 3 months' service)."""

    _name = "ctrl.sixs.rota"
    _description = "6S Duty Officer Rota"
    _inherit = ["mail.thread"]
    _order = "date desc, area_id"
    _rec_name = "employee_id"

    area_id = fields.Many2one("ctrl.sixs.area", "Unit", required=True, index=True, ondelete="cascade")
    date = fields.Date(required=True, index=True)
    employee_id = fields.Many2one("hr.employee", "Duty officer", required=True, tracking=True)
    company_id = fields.Many2one(related="area_id.company_id", store=True, index=True)

    _sql_constraints = [("area_date_uniq", "unique(area_id, date)", "A unit has one duty officer a day.")]

    @api.constrains("employee_id", "date")
    def _check_service(self):
        for rota in self:
            months = rota.area_id.company_id.ctrl_sixs_duty_min_months
            if not rota.employee_id._ctrl_sixs_eligible_on(rota.date, months):
                raise ValidationError(self.env._(
                    "%(employee)s cannot be duty officer on %(date)s: %(months)s months' service are needed and "
                    "service started on %(start)s. Pick another team member, or correct '6S service start' on "
                    "the employee.", employee=rota.employee_id.name, date=rota.date, months=months,
                    start=rota.employee_id._ctrl_sixs_service_start()))

    @api.model
    def _ctrl_sixs_generate(self, area, date_from, date_to):
        """Rotate the eligible team members of ``area`` daily over the dates; days that
        already have a duty officer are kept."""
        months = area.company_id.ctrl_sixs_duty_min_months
        existing = set(self.search([("area_id", "=", area.id), ("date", ">=", date_from),
                                    ("date", "<=", date_to)]).mapped("date"))
        team = area.employee_ids.sorted("id")
        vals, index, day = [], 0, date_from
        while day <= date_to:
            eligible = team.filtered(lambda e, d=day: e._ctrl_sixs_eligible_on(d, months))
            if not eligible:
                raise UserError(self.env._(
                    "No team member of %(area)s has %(months)s months' service on %(date)s: add eligible members "
                    "to the team.", area=area.display_name, months=months, date=day))
            if day not in existing:
                vals.append({"area_id": area.id, "date": day, "employee_id": eligible[index % len(eligible)].id})
            index += 1
            day += timedelta(days=1)
        return self.create(vals)

    @api.model
    def _duty_map(self, lines):
        """{(area, date, employee)} of the findings in ``lines`` whose employee was the duty
        officer of the area (or a unit above it) that day."""
        if not lines:
            return set()
        self.flush_model()
        self.env.cr.execute(SQL(
            """SELECT l.area_id, l.date, l.employee_id
                 FROM ctrl_sixs_audit_line l
                 JOIN ctrl_sixs_area a ON a.id = l.area_id
                 JOIN ctrl_sixs_rota r ON r.date = l.date AND r.employee_id = l.employee_id
                  AND r.area_id::text = ANY(string_to_array(trim(BOTH '/' FROM a.parent_path), '/'))
                WHERE l.id = ANY(%s)""", lines.ids))
        return {(area_id, day, emp) for area_id, day, emp in self.env.cr.fetchall()}

    def _ctrl_sixs_duty_points(self):
        """Daily duty-officer rules (V14, §10 #33): 50% per point the unit lost above the
        threshold that day, +1 for a day without findings. Idempotent per rota day."""
        Point = self.env["ctrl.sixs.point"].sudo()
        Line = self.env["ctrl.sixs.audit.line"].sudo()
        done = set(Point.search([("res_model", "=", self._name), ("res_id", "in", self.ids)]).mapped("res_id"))
        vals = []
        for rota in self.filtered(lambda r: r.id not in done):
            company = rota.area_id.company_id
            lines = Line.search([("area_id", "child_of", rota.area_id.id), ("date", "=", rota.date),
                                 ("audit_id.state", "=", "published")])
            if not lines:
                continue
            lost = sum(lines.mapped("points"))
            base = {"date": rota.date, "employee_id": rota.employee_id.id, "area_id": rota.area_id.id,
                    "res_model": self._name, "res_id": rota.id, "company_id": company.id}
            if not lost:
                vals.append(dict(base, reason_code="duty_clean_day", points=company.ctrl_sixs_duty_clean_bonus))
            elif lost > company.ctrl_sixs_duty_threshold:
                excess = lost - company.ctrl_sixs_duty_threshold
                vals.append(dict(base, reason_code="duty_threshold",
                                 points=-excess * company.ctrl_sixs_duty_share / 100.0))
        return Point.create(vals)

    @api.model
    def _cron_duty_points(self):
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        self.search([("date", "=", yesterday), ("company_id.ctrl_live", "=", True)])._ctrl_sixs_duty_points()
