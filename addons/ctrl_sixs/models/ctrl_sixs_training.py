# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

KINDS = [("classroom", "Classroom"), ("on_site", "On site"), ("morning_meeting", "Morning meeting briefing"),
         ("seminar", "Seminar"), ("exam", "Exam")]


def quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


class CtrlSixsTraining(models.Model):
    """A 6S training session (V14 §7, seed-001 §10 #39: training needs each quarter, an HR
    plan, records and exams). Planned sessions of a quarter are its plan; a session is
    recorded as held with its attendees. A department without a training held in a quarter
    shows up on the areas (filter 'No 6S training this quarter'), and the quarterly check
    books the department head's 'no 6S training' deduction (§10 #36) for the quarter that ended."""

    _name = "ctrl.sixs.training"
    _description = "6S Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"

    _ctrl_draft_states = ("planned",)
    _ctrl_protected_fields = ("held_by_id",)
    _ctrl_content_fields = ("name", "date", "kind", "department_area_id", "attendee_ids", "company_id")

    name = fields.Char("Topic", required=True, tracking=True)
    date = fields.Date(required=True, index=True, tracking=True)
    quarter = fields.Char(compute="_compute_quarter", store=True, index=True)
    kind = fields.Selection(KINDS, required=True, default="classroom", tracking=True)
    department_area_id = fields.Many2one("ctrl.sixs.area", "Department", required=True, index=True,
                                         domain=[("level", "=", "department")], tracking=True)
    trainer_id = fields.Many2one("hr.employee", "Trainer", tracking=True)
    attendee_ids = fields.Many2many("hr.employee", string="Attendees")
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    result_note = fields.Text("Exam and on-site check results", tracking=True)
    state = fields.Selection([("planned", "Planned"), ("done", "Held")], default="planned", required=True,
                             readonly=True, index=True, tracking=True)
    held_by_id = fields.Many2one("res.users", "Recorded by", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    @api.depends("date")
    def _compute_quarter(self):
        for training in self:
            training.quarter = f"{training.date.year}-Q{(training.date.month - 1) // 3 + 1}" \
                if training.date else False

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for training in self:
            training.attendee_count = len(training.attendee_ids)

    def action_done(self):
        """Record the session as held, with who attended."""
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_inspector"):
            raise AccessError(self.env._("6S inspectors and managers record training sessions as held."))
        self.check_access("write")
        today = fields.Date.context_today(self)
        for training in self:
            if training.state != "planned":
                raise UserError(self.env._("%(training)s is already recorded as held.", training=training.name))
            if not training.attendee_ids:
                raise UserError(self.env._("%(training)s: list the 'Attendees' first.", training=training.name))
            if training.date > today:
                raise UserError(self.env._(
                    "%(training)s: the date is in the future. Record the session once it took place.",
                    training=training.name))
        self._ctrl_set_state("done", held_by_id=self.env.uid)
        return True

    # ------------------------------------------------------------------
    # Departments without training
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_trained_department_ids(self, date_from, date_to, company_ids=None):
        domain = [("state", "=", "done"), ("date", ">=", date_from), ("date", "<=", date_to)]
        if company_ids:
            domain.append(("company_id", "in", company_ids))
        return {dept.id for [dept] in self.sudo()._read_group(domain, ["department_area_id"])}

    @api.model
    def _ctrl_sixs_book_untrained(self, start, company):
        """The quarter starting ``start``: one 'Head: no 6S training' row per active department
        of ``company`` without a training held in it (once: checked, and the ledger's unique
        index on area, date and reason for the rows this step writes)."""
        end = start + relativedelta(months=3, days=-1)
        trained = self._ctrl_sixs_trained_department_ids(start, end, [company.id])
        Point = self.env["ctrl.sixs.point"].sudo()
        depts = self.env["ctrl.sixs.area"].sudo().search([
            ("company_id", "=", company.id), ("level", "=", "department"), ("active", "=", True),
            ("responsible_id", "!=", False), ("id", "not in", list(trained))])
        booked = set(Point.search([("area_id", "in", depts.ids), ("date", "=", end),
                                   ("reason_code", "=", "head_no_training"),
                                   ("res_model", "=", "ctrl.sixs.area")]).area_id.ids)
        quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        return Point.create([{
            "date": end, "area_id": dept.id, "employee_id": dept.responsible_id.id, "reason_code": "head_no_training",
            "res_model": "ctrl.sixs.area", "res_id": dept.id, "company_id": company.id,
            "name": self.env._("No 6S training in %(quarter)s: %(department)s",
                               quarter=quarter, department=dept.display_name),
        } for dept in depts if dept.id not in booked])

    @api.model
    def _cron_untrained_departments(self):
        """Quarterly: the quarter that ended, for every live company."""
        start = quarter_start(fields.Date.context_today(self)) - relativedelta(months=3)
        for company in self.env["res.company"]._ctrl_live_companies():
            self._ctrl_sixs_book_untrained(start, company)
