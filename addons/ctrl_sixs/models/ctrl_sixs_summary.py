# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

SUMMARY_LOCK = 7266  # advisory lock key of the monthly creation (per company)
DUE_DAY = 30  # V14, §10 #27: 「每月30日前」


def due_date(month):
    """The 30th of ``month``, or its last day when the month is shorter."""
    return month.replace(day=min(DUE_DAY, calendar.monthrange(month.year, month.month)[1]))


class CtrlSixsSummary(models.Model):
    """A department's monthly 6S summary (V14 §6, §10 #27: each department reports its month
    before the 30th; phase 2: departments report monthly to 企管部). The monthly scheduled
    action creates one per department area and month; the department head fills in the
    figures from the month's inspections and ledger, writes the summary and submits it. A
    summary still to submit after its due date climbs the ladder 'sixs_summary_missing'."""

    _name = "ctrl.sixs.summary"
    _description = "6S Monthly Department Summary"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin", "ctrl.lifecycle.mixin"]
    _order = "month desc, department_area_id, id"
    _rec_names_search = ["department_area_id"]

    _ctrl_draft_states = ("draft",)
    _ctrl_protected_fields = ("department_area_id", "month", "due_date", "submitted_by_id", "date_submitted",
                              "is_late", "audit_count", "average_score", "finding_count", "points_lost",
                              "fine_amount", "action_count", "late_action_count", "date_prefilled", "company_id")
    _ctrl_content_fields = ("note",)

    name = fields.Char(compute="_compute_name", search="_search_name")
    department_area_id = fields.Many2one("ctrl.sixs.area", "Department", required=True, readonly=True, index=True,
                                         ondelete="restrict", domain=[("level", "=", "department")])
    responsible_id = fields.Many2one(related="department_area_id.responsible_id", string="Department head")
    responsible_user_id = fields.Many2one(related="department_area_id.responsible_user_id",
                                          string="Department head user")
    month = fields.Date(required=True, readonly=True, index=True, help="First day of the month summarised.")
    due_date = fields.Date(required=True, readonly=True, index=True, tracking=True,
                           help="The 30th of the month, or its last day when the month is shorter.")
    state = fields.Selection([("draft", "To submit"), ("submitted", "Submitted")], default="draft",
                             required=True, readonly=True, index=True, tracking=True)
    note = fields.Text("Summary", tracking=True, help="The department's account of its month: what went well, "
                       "what it corrects, what it needs.")
    audit_count = fields.Integer("Inspections", readonly=True)
    average_score = fields.Float("Average inspection score", readonly=True,
                                 help="100 minus the points each published inspection of the month lost, averaged.")
    finding_count = fields.Integer("Findings", readonly=True)
    points_lost = fields.Float(readonly=True)
    fine_amount = fields.Monetary("Fines", readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    action_count = fields.Integer("Corrective actions due", readonly=True)
    late_action_count = fields.Integer("Late corrective actions", readonly=True)
    date_prefilled = fields.Datetime("Figures as of", readonly=True)
    submitted_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    date_submitted = fields.Date(readonly=True, tracking=True)
    is_late = fields.Boolean("Late", readonly=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)

    _sql_constraints = [
        ("company_department_month_uniq", "unique(company_id, department_area_id, month)",
         "A department has one 6S summary per month."),
    ]

    @api.depends("department_area_id", "month")
    @api.depends_context("lang")
    def _compute_name(self):
        for summary in self:
            summary.name = f"{summary.department_area_id.display_name or ''} " \
                           f"{summary.month.strftime('%Y-%m') if summary.month else ''}".strip()

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    @api.depends("name")
    def _compute_display_name(self):
        for summary in self:
            summary.display_name = summary.name

    # ------------------------------------------------------------------
    # Who may act
    # ------------------------------------------------------------------
    def _ctrl_sixs_check_head(self):
        """The department's head or deputy, or a 6S manager."""
        if self.env.su or self.env.user.has_group("ctrl_sixs.group_sixs_manager"):
            return
        user = self.env.user
        for summary in self:
            area = summary.sudo().department_area_id
            if user not in area.responsible_id.user_id | area.deputy_id.user_id:
                raise AccessError(self.env._(
                    "%(summary)s: only the department head, the deputy or a 6S manager writes and submits the "
                    "department's monthly summary.", summary=summary.name))

    def write(self, vals):
        if "note" in vals:
            self._ctrl_sixs_check_head()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def action_prefill(self):
        """Fill in the month's figures from the published inspections, the findings, the
        ledger and the corrective actions of the department (set-based: one grouped read
        per model and month)."""
        self.check_access("read")
        self._ctrl_sixs_check_head()
        for summary in self:
            if summary.state != "draft":
                raise UserError(self.env._(
                    "%(summary)s is submitted: its figures are those it was submitted with.",
                    summary=summary.name))
        self._ctrl_sixs_prefill()
        return True

    def _ctrl_sixs_prefill(self):
        env = self.env(su=True)
        for month in set(self.mapped("month")):
            summaries = self.filtered(lambda s, m=month: s.month == m)
            end = month + relativedelta(months=1, days=-1)
            depts = summaries.department_area_id.ids
            inspections = {dept: (count, avg) for dept, count, avg in env["ctrl.sixs.audit"]._read_group(
                [("department_area_id", "in", depts), ("state", "=", "published"), ("tier", "!=", "self_check"),
                 ("scheduled_date", ">=", month), ("scheduled_date", "<=", end)],
                ["department_area_id"], ["__count", "total_points:avg"])}
            findings = {}
            for area, count in env["ctrl.sixs.audit.line"]._read_group(
                    [("area_id.department_area_id", "in", depts), ("audit_id.state", "=", "published"),
                     ("audit_id.tier", "!=", "self_check"), ("result", "=", "nok"),
                     ("date", ">=", month), ("date", "<=", end)],
                    ["area_id"], ["__count"]):
                findings[area.department_area_id] = findings.get(area.department_area_id, 0) + count
            ledger = dict(env["ctrl.sixs.point"]._read_group(
                [("department_area_id", "in", depts), ("state", "=", "posted"), ("points", "<", 0),
                 ("date", ">=", month), ("date", "<=", end)],
                ["department_area_id"], ["points:sum"]))
            fines = dict(env["ctrl.sixs.point"]._read_group(
                [("department_area_id", "in", depts), ("state", "=", "posted"), ("amount", "<", 0),
                 ("date", ">=", month), ("date", "<=", end)],
                ["department_area_id"], ["amount:sum"]))
            actions = dict(env["ctrl.sixs.action"]._read_group(
                [("department_area_id", "in", depts), ("deadline", ">=", month), ("deadline", "<=", end)],
                ["department_area_id"], ["__count"]))
            late_actions = dict(env["ctrl.sixs.action"]._read_group(
                [("department_area_id", "in", depts), ("deadline", ">=", month), ("deadline", "<=", end),
                 ("is_late", "=", True)], ["department_area_id"], ["__count"]))
            now = fields.Datetime.now()
            for summary in summaries:
                dept = summary.department_area_id
                count, avg_lost = inspections.get(dept, (0, 0.0))
                summary._ctrl_write_protected({
                    "audit_count": count,
                    "average_score": round(100.0 - (avg_lost or 0.0), 2) if count else 0.0,
                    "finding_count": findings.get(dept, 0),
                    "points_lost": -(ledger.get(dept) or 0.0),
                    "fine_amount": fines.get(dept, 0.0),
                    "action_count": actions.get(dept, 0),
                    "late_action_count": late_actions.get(dept, 0),
                    "date_prefilled": now,
                })

    # ------------------------------------------------------------------
    # Submission
    # ------------------------------------------------------------------
    def action_submit(self):
        """The department head submits the month: figures refreshed, the summary written."""
        self.check_access("read")
        self._ctrl_sixs_check_head()
        for summary in self:
            if summary.state != "draft":
                raise UserError(self.env._("%(summary)s was already submitted.", summary=summary.name))
            if not (summary.note or "").strip():
                raise UserError(self.env._(
                    "%(summary)s: write the department's account of the month in the 'Summary' field first.",
                    summary=summary.name))
        self._ctrl_sixs_prefill()
        today = fields.Date.context_today(self)
        for summary in self:
            summary._ctrl_set_state("submitted", submitted_by_id=self.env.uid, date_submitted=today,
                                    is_late=today > summary.due_date)
        self.activity_ids.sudo().action_done()
        return True

    # ------------------------------------------------------------------
    # Monthly creation
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_create_month(self, month, company, batch=None):
        """The month's summaries of ``company``'s active department areas that have none yet,
        at most ``batch`` of them. Returns (created, remaining). Idempotent: one worker per
        company at a time (advisory lock) and one summary per department and month (SQL
        unique)."""
        month = month.replace(day=1)
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", SUMMARY_LOCK, company.id))
        if not self.env.cr.fetchone()[0]:
            return self.browse(), 0
        batch = batch or company.ctrl_sixs_batch_size or 200
        self.flush_model(["company_id", "department_area_id", "month"])
        self.env.cr.execute(SQL("SELECT department_area_id FROM ctrl_sixs_summary WHERE company_id = %s AND month = %s",
                                company.id, month))
        domain = [("company_id", "=", company.id), ("level", "=", "department"), ("active", "=", True),
                  ("id", "not in", [row[0] for row in self.env.cr.fetchall()])]
        Area = self.env["ctrl.sixs.area"].sudo()
        todo = Area.search_count(domain)
        areas = Area.search(domain, limit=batch, order="id")
        created = self.sudo().create([{
            "department_area_id": area.id, "month": month, "due_date": due_date(month), "company_id": company.id,
        } for area in areas])
        return created, todo - len(created)

    @api.model
    def _cron_create_summaries(self):
        """Monthly: this month's summaries, for every company whose controls are live."""
        month = fields.Date.context_today(self).replace(day=1)
        done = remaining = 0
        for company in self.env["res.company"]._ctrl_live_companies():
            created, left = self._ctrl_sixs_create_month(month, company)
            done += len(created)
            remaining += left
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining
