# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

LEVELS = [("warning", "Warning"), ("minor_demerit", "Minor demerit"), ("demerit", "Demerit")]
LEVEL_RANK = {key: rank for rank, (key, _label) in enumerate(LEVELS)}
RULES = [("week_findings", "Non-conformities in a week"), ("month_failed", "Failed inspections in a month")]
# V15 (§4.3, §10 #44): rule → level of the responsible person, level of the department head.
RULE_LEVELS = {"week_findings": ("minor_demerit", "warning"), "month_failed": ("demerit", "minor_demerit")}


class CtrlSixsDiscipline(models.Model):
    """A V15 disciplinary measure (§10 #44), found by the daily cron: a department with
    too many non-conformities in a week, or too many failed inspections in a month.
    One per company, employee, rule and period (SQL unique key), so reruns add nothing."""

    _name = "ctrl.sixs.discipline"
    _description = "6S Disciplinary Measure"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "period_start desc, department_area_id, id"

    # The measure's facts are the daily evaluation's; a manager only cancels it, with a
    # note. A measure is never deleted.
    _ctrl_draft_states = ()
    _ctrl_protected_fields = ("employee_id", "role", "level", "rule", "period_start", "period_end", "count",
                              "department_area_id", "line_ids", "audit_ids", "company_id")

    _rec_names_search = ["employee_id", "period_start"]

    # Generated, so rendered in the reader's language (not stored in the language it was computed in).
    name = fields.Char(compute="_compute_name", search="_search_name")
    employee_id = fields.Many2one("hr.employee", required=True, index=True, readonly=True, ondelete="restrict")
    user_id = fields.Many2one(related="employee_id.user_id", string="Employee user")
    role = fields.Selection([("responsible", "Responsible person"), ("head", "Department head")], required=True,
                            readonly=True)
    level = fields.Selection(LEVELS, required=True, readonly=True, tracking=True)
    rule = fields.Selection(RULES, required=True, readonly=True, index=True)
    period_start = fields.Date(required=True, readonly=True, index=True)
    period_end = fields.Date(required=True, readonly=True)
    count = fields.Integer(readonly=True, help="The department's non-conformities in the week, or its failed "
                           "inspections in the month, that reached the threshold.")
    department_area_id = fields.Many2one("ctrl.sixs.area", "Department", readonly=True, index=True)
    line_ids = fields.Many2many("ctrl.sixs.audit.line", string="Findings", readonly=True)
    audit_ids = fields.Many2many("ctrl.sixs.audit", string="Audits", readonly=True)
    state = fields.Selection([("confirmed", "Confirmed"), ("cancelled", "Cancelled")], default="confirmed",
                             required=True, readonly=True, tracking=True, index=True)
    note = fields.Text(tracking=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)

    _sql_constraints = [
        ("company_employee_rule_period_uniq", "unique(company_id, employee_id, rule, period_start)",
         "An employee gets one measure per rule and period."),
    ]

    @api.depends("employee_id", "level", "period_start")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["level"]._description_selection(self.env))
        for measure in self:
            measure.name = f"{labels.get(measure.level, '')}: {measure.employee_id.name or ''} " \
                           f"({measure.period_start or ''})"

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    def write(self, vals):
        if "note" in vals and not self.env.su and self.filtered(lambda m: m.state != "confirmed"):
            raise UserError(self.env._("A cancelled measure keeps the note that explains why: it cannot change."))
        return super().write(vals)

    def action_cancel(self):
        """6S managers cancel a measure (e.g. after an accepted appeal); the note says why."""
        if not self.env.user.has_group("ctrl_sixs.group_sixs_manager"):
            raise AccessError(self.env._("Only 6S managers cancel disciplinary measures."))
        self.check_access("write")
        for measure in self:
            if measure.state != "confirmed":
                raise UserError(self.env._("%(measure)s is already cancelled.", measure=measure.name))
            if not measure.note:
                raise UserError(self.env._(
                    "%(measure)s: write why it is cancelled in the Note field first.", measure=measure.name))
        self._ctrl_set_state("cancelled")
        self.activity_ids.sudo().action_done()
        return True

    # ------------------------------------------------------------------
    # Detection
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_evaluate(self, day, company):
        """Measures of the weeks and months around ``day`` (the week before and the week
        of ``day``; the months they touch) that are not recorded yet."""
        week_from = day - timedelta(days=day.weekday() + 7)
        week_to = day + timedelta(days=6 - day.weekday())
        month_from = week_from.replace(day=1)
        month_to = day.replace(day=1) + relativedelta(months=1, days=-1)
        for model in ("ctrl.sixs.audit.line", "ctrl.sixs.audit", "ctrl.sixs.area"):
            self.env[model].flush_model()
        rows = self._week_rows(company, week_from, week_to) + self._month_rows(company, month_from, month_to)
        candidates = self._candidates(rows)
        existing = {(m.employee_id.id, m.rule, m.period_start) for m in self.sudo().search([
            ("company_id", "=", company.id), ("period_start", ">=", month_from),
            ("employee_id", "in", [employee for employee, _rule, _period in candidates])])}
        vals_list = [dict(vals, company_id=company.id) for key, vals in candidates.items() if key not in existing]
        measures = self.sudo().create(vals_list)
        measures._notify_managers()
        return measures

    def _week_rows(self, company, date_from, date_to):
        """(department, week start, department count, responsible employee, line ids, audit ids)
        for departments with at least the threshold of findings in a week."""
        self.env.cr.execute(SQL(
            """WITH f AS (
                   SELECT a.department_area_id AS dept, date_trunc('week', l.date)::date AS period,
                          COALESCE(l.employee_id, ar.responsible_id) AS emp, l.id AS line_id, l.audit_id
                     FROM ctrl_sixs_audit_line l
                     JOIN ctrl_sixs_audit a ON a.id = l.audit_id
                     JOIN ctrl_sixs_area ar ON ar.id = l.area_id
                    WHERE a.company_id = %(company)s AND a.state = 'published' AND a.tier != 'self_check'
                      AND a.department_area_id IS NOT NULL AND l.result = 'nok'
                      AND l.date BETWEEN %(start)s AND %(end)s
               ),
               d AS (SELECT dept, period, COUNT(*) AS n FROM f GROUP BY dept, period HAVING COUNT(*) >= %(min)s)
               SELECT 'week_findings', f.dept, f.period, d.n, f.emp, array_agg(f.line_id), array_agg(f.audit_id)
                 FROM f JOIN d ON d.dept = f.dept AND d.period = f.period
                GROUP BY f.dept, f.period, d.n, f.emp""",
            company=company.id, start=date_from, end=date_to, min=company.ctrl_sixs_discipline_week_findings))
        return self.env.cr.fetchall()

    def _month_rows(self, company, date_from, date_to):
        """Same for departments with at least the threshold of failed inspections in a month
        (score = 100 - points lost, below the pass mark); the employee is the area's responsible."""
        self.env.cr.execute(SQL(
            """WITH f AS (
                   SELECT a.department_area_id AS dept, date_trunc('month', a.scheduled_date)::date AS period,
                          ar.responsible_id AS emp, a.id AS audit_id
                     FROM ctrl_sixs_audit a JOIN ctrl_sixs_area ar ON ar.id = a.area_id
                    WHERE a.company_id = %(company)s AND a.state = 'published' AND a.tier != 'self_check'
                      AND a.department_area_id IS NOT NULL AND 100 - a.total_points < %(pass)s
                      AND a.scheduled_date BETWEEN %(start)s AND %(end)s
               ),
               d AS (SELECT dept, period, COUNT(*) AS n FROM f GROUP BY dept, period HAVING COUNT(*) >= %(min)s)
               SELECT 'month_failed', f.dept, f.period, d.n, f.emp, ARRAY[]::int[], array_agg(f.audit_id)
                 FROM f JOIN d ON d.dept = f.dept AND d.period = f.period
                GROUP BY f.dept, f.period, d.n, f.emp""",
            company=company.id, start=date_from, end=date_to, min=company.ctrl_sixs_discipline_month_failed,
            **{"pass": company.ctrl_sixs_pass_mark}))
        return self.env.cr.fetchall()

    def _candidates(self, rows):
        """{(employee, rule, period_start): vals}: the responsible persons and the department
        heads of the rows; one employee named twice keeps the heavier level and all links."""
        departments = self.env["ctrl.sixs.area"].sudo().browse({row[1] for row in rows})
        heads = {dept.id: dept.responsible_id.id for dept in departments}
        candidates = {}

        def add(employee_id, role, rule, dept, period, count, line_ids, audit_ids):
            if not employee_id:
                return
            level = RULE_LEVELS[rule][0 if role == "responsible" else 1]
            key = (employee_id, rule, period)
            vals = candidates.get(key)
            if vals and LEVEL_RANK[vals["level"]] >= LEVEL_RANK[level]:
                vals["line_ids"][0][2].extend(line_ids)
                vals["audit_ids"][0][2].extend(audit_ids)
                return
            old = vals or {"line_ids": [(6, 0, [])], "audit_ids": [(6, 0, [])]}
            end = period + (timedelta(days=6) if rule == "week_findings" else relativedelta(months=1, days=-1))
            candidates[key] = {
                "employee_id": employee_id, "role": role, "level": level, "rule": rule, "period_start": period,
                "period_end": end, "count": count, "department_area_id": dept,
                "line_ids": [(6, 0, old["line_ids"][0][2] + list(line_ids))],
                "audit_ids": [(6, 0, old["audit_ids"][0][2] + list(audit_ids))]}

        for rule, dept, period, count, employee_id, line_ids, audit_ids in rows:
            add(employee_id, "responsible", rule, dept, period, count, line_ids, audit_ids)
        for rule, dept, period, count, _employee_id, line_ids, audit_ids in rows:
            add(heads.get(dept), "head", rule, dept, period, count, line_ids, audit_ids)
        for vals in candidates.values():
            for field in ("line_ids", "audit_ids"):
                vals[field] = [(6, 0, sorted(set(vals[field][0][2])))]
        return candidates

    def _notify_managers(self):
        """An activity for the company's 6S managers on each new measure."""
        group = self.env.ref("ctrl_sixs.group_sixs_manager")
        for measure in self:
            managers = group.users.filtered(
                lambda u, m=measure: u.active and not u.share and m.company_id in u.company_ids)
            for user in managers:
                measure.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id,
                    summary=self.env._("6S discipline: %(measure)s", measure=measure.name))

    @api.model
    def _cron_discipline(self):
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        for company in self.env["res.company"]._ctrl_live_companies():
            self._ctrl_sixs_evaluate(yesterday, company)
