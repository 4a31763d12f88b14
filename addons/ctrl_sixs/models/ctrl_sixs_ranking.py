# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

SCOPES = [("area", "Area"), ("employee", "Employee"), ("process", "Process"), ("department", "Department")]


class CtrlSixsRanking(models.Model):
    """Derived rankings of a period: rebuilt by ``_compute_rankings`` (delete + insert),
    in set-based SQL. Ties share a rank (SQL RANK())."""

    _name = "ctrl.sixs.ranking"
    _description = "6S Ranking"
    _order = "period_start desc, scope, rank, id"

    period_type = fields.Selection([("week", "Week"), ("month", "Month")], required=True, index=True)
    period_start = fields.Date(required=True, index=True)
    period_end = fields.Date(required=True)
    scope = fields.Selection(SCOPES, required=True, index=True)
    area_id = fields.Many2one("ctrl.sixs.area", index=True, ondelete="cascade")
    employee_id = fields.Many2one("hr.employee", index=True, ondelete="cascade")
    leader_id = fields.Many2one("hr.employee", "Leader / head")
    score = fields.Float(help="Net points: negative when points were lost. Process: the average of its "
                         "employees. Department: the sum of its process leaders' scores.")
    points_lost = fields.Float(help="Points lost (before the tolerance).")
    leader_score = fields.Float(help="Process: the leader's own points plus the share of the process deduction.")
    audit_count = fields.Integer()
    member_count = fields.Integer()
    combined_score = fields.Float(
        help="Month rows: the weighted combination of the month's weekly scores (their average) and the monthly "
        "score, with the weights of the 6S settings.")
    rank = fields.Integer(aggregator="min")
    # V07, §9 #15: area, process and department rows carry the average inspection score and its grade.
    audit_score = fields.Float(
        "Inspection score", aggregator="avg",
        help="Average score of the period's published inspections (self-checks not counted) of the area and the "
        "areas under it: 100 minus the points each one lost.")
    grade_id = fields.Many2one("ctrl.sixs.grade", "Grade", index="btree_not_null", ondelete="set null")
    money = fields.Monetary(currency_field="currency_id",
                            help="Employee: fine (negative) or reward from the points, per the money setting.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    publication_id = fields.Many2one("ctrl.sixs.publication", "Publication", index="btree_not_null",
                                     ondelete="set null", help="Week rows: the week's notice-board publication.")
    publication_state = fields.Selection(related="publication_id.state", string="Publication state")
    company_id = fields.Many2one("res.company", required=True, index=True)

    @api.depends("area_id", "employee_id", "period_type", "period_start")
    def _compute_display_name(self):
        for row in self:
            # A published ranking names areas and people the reader may not open (other teams' areas).
            who = row.sudo().employee_id.name or row.sudo().area_id.display_name or ""
            period = dict(row._fields["period_type"]._description_selection(row.env)).get(row.period_type, "")
            row.display_name = f"{who} ({period} {row.period_start})" if row.period_start else who

    # Derived rows: only _compute_rankings writes them (in SQL), never a client.
    @api.model_create_multi
    def create(self, vals_list):
        self._ctrl_sixs_check_derived()
        return super().create(vals_list)

    def write(self, vals):
        self._ctrl_sixs_check_derived()
        return super().write(vals)

    def unlink(self):
        self._ctrl_sixs_check_derived()
        return super().unlink()

    def _ctrl_sixs_check_derived(self):
        if not self.env.su:
            raise AccessError(self.env._(
                "6S rankings are computed from the published audits and the points ledger: they are not edited "
                "by hand. Correct the audit or the ledger, then compute the rankings again."))

    @api.model
    def _compute_rankings(self, period_start, period_end, period_type="month", company=None):
        """Rebuild the rankings of one period for a company. Returns the row count."""
        company = company or self.env.company
        for model in ("ctrl.sixs.point", "ctrl.sixs.audit.line", "ctrl.sixs.audit", "ctrl.sixs.area"):
            self.env[model].flush_model()
        publication = self.env["ctrl.sixs.publication"]
        if period_type == "week":
            publication = publication._ctrl_sixs_for_week(period_start, company)
            publication._ctrl_sixs_recomputed()
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM ctrl_sixs_ranking WHERE company_id = %s AND period_type = %s "
                       "AND period_start = %s", company.id, period_type, period_start))
        money_rate = (company.ctrl_sixs_money_per_point_tolerance if company.ctrl_sixs_money_mode == "beyond_tolerance"
                      else company.ctrl_sixs_money_per_point)
        cr.execute(SQL(
            """
            WITH pts AS (
                SELECT p.employee_id, p.area_id, a.process_area_id, a.department_area_id, p.points
                  FROM ctrl_sixs_point p JOIN ctrl_sixs_area a ON a.id = p.area_id
                 WHERE p.company_id = %(company)s AND p.state = 'posted'
                   AND p.date BETWEEN %(start)s AND %(end)s
            ),
            emp AS (
                SELECT employee_id, SUM(points) AS score, -SUM(LEAST(points, 0)) AS lost
                  FROM pts WHERE employee_id IS NOT NULL GROUP BY employee_id
            ),
            team AS (
                SELECT a.process_area_id, COUNT(DISTINCT r.hr_employee_id) AS members
                  FROM ctrl_sixs_area a JOIN ctrl_sixs_area_hr_employee_rel r ON r.ctrl_sixs_area_id = a.id
                 WHERE a.company_id = %(company)s AND a.process_area_id IS NOT NULL GROUP BY a.process_area_id
            ),
            proc_pts AS (
                SELECT process_area_id, SUM(points) AS total, -SUM(LEAST(points, 0)) AS lost,
                       COUNT(DISTINCT employee_id) AS employees
                  FROM pts WHERE process_area_id IS NOT NULL GROUP BY process_area_id
            ),
            proc AS (
                SELECT pa.id AS area_id, pa.department_area_id, pa.responsible_id AS leader_id,
                       COALESCE(pp.total, 0) / GREATEST(COALESCE(t.members, 0), COALESCE(pp.employees, 0), 1)
                           AS score,
                       COALESCE(pp.lost, 0) AS lost,
                       GREATEST(COALESCE(t.members, 0), COALESCE(pp.employees, 0)) AS members,
                       COALESCE(le.score, 0) - COALESCE(pp.lost, 0) * %(share)s / 100.0 AS leader_score
                  FROM ctrl_sixs_area pa
                  LEFT JOIN proc_pts pp ON pp.process_area_id = pa.id
                  LEFT JOIN team t ON t.process_area_id = pa.id
                  LEFT JOIN emp le ON le.employee_id = pa.responsible_id
                 WHERE pa.company_id = %(company)s AND pa.level = 'process' AND pa.active
            ),
            dept AS (
                SELECT da.id AS area_id, da.responsible_id AS leader_id,
                       COALESCE(SUM(proc.leader_score), 0) + COALESCE(MAX(he.score), 0) AS score,
                       COALESCE(SUM(proc.lost), 0) AS lost, COUNT(proc.area_id) AS members
                  FROM ctrl_sixs_area da
                  LEFT JOIN proc ON proc.department_area_id = da.id
                  LEFT JOIN emp he ON he.employee_id = da.responsible_id
                 WHERE da.company_id = %(company)s AND da.level = 'department' AND da.active
                 GROUP BY da.id, da.responsible_id
            ),
            audited AS (
                SELECT area_id, COUNT(*) AS audits FROM ctrl_sixs_audit
                 WHERE company_id = %(company)s AND state = 'published'
                   AND scheduled_date BETWEEN %(start)s AND %(end)s GROUP BY area_id
            ),
            area_lost AS (
                SELECT area_id, SUM(points) AS lost FROM ctrl_sixs_audit_line
                 WHERE company_id = %(company)s AND date BETWEEN %(start)s AND %(end)s AND points <> 0
                 GROUP BY area_id
            ),
            rows AS (
                SELECT 'area' AS scope, au.area_id, NULL::int AS employee_id, NULL::int AS leader_id,
                       -COALESCE(al.lost, 0) AS score, COALESCE(al.lost, 0) AS lost, 0.0 AS leader_score,
                       au.audits, 0 AS members, 0.0 AS money
                  FROM audited au LEFT JOIN area_lost al ON al.area_id = au.area_id
                UNION ALL
                SELECT 'employee', NULL, employee_id, NULL, score, lost, 0.0, 0, 0,
                       CASE WHEN %(mode)s = 'beyond_tolerance'
                            THEN -GREATEST(lost - %(tolerance)s, 0) * %(rate)s
                            ELSE score * %(rate)s END
                  FROM emp
                UNION ALL
                SELECT 'process', area_id, NULL, leader_id, score, lost, leader_score, 0, members, 0.0 FROM proc
                UNION ALL
                SELECT 'department', area_id, NULL, leader_id, score, lost, 0.0, 0, members, 0.0 FROM dept
            )
            INSERT INTO ctrl_sixs_ranking
                   (period_type, period_start, period_end, scope, area_id, employee_id, leader_id, score,
                    points_lost, leader_score, audit_count, member_count, rank, money, company_id,
                    publication_id, create_uid, create_date, write_uid, write_date)
            SELECT %(ptype)s, %(start)s, %(end)s, scope, area_id, employee_id, leader_id, ROUND(score::numeric, 2),
                   lost, ROUND(leader_score::numeric, 2), audits, members,
                   RANK() OVER (PARTITION BY scope ORDER BY ROUND(score::numeric, 2) DESC),
                   ROUND(money::numeric, 2), %(company)s, %(publication)s,
                   %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
              FROM rows
            """,
            company=company.id, start=period_start, end=period_end, ptype=period_type,
            share=company.ctrl_sixs_leader_share, mode=company.ctrl_sixs_money_mode,
            tolerance=company.ctrl_sixs_tolerance, rate=money_rate, uid=self.env.uid,
            publication=publication.id or None))
        count = cr.rowcount
        self._grade_rows(period_type, period_start, period_end, company)
        if period_type == "month":
            self._combine_weekly(period_start, period_end, company)
        self.invalidate_model()
        return count

    def _grade_rows(self, period_type, period_start, period_end, company):
        """Area, process and department rows of the period: the average score of their
        published inspections and the grade it reaches (one UPDATE)."""
        grades = self.env["ctrl.sixs.grade"]._ctrl_sixs_grades(company)
        self.env["ctrl.sixs.grade"].flush_model()
        self.env.cr.execute(SQL(
            """WITH sc AS (
                   SELECT area_id, process_area_id, department_area_id, 100 - total_points AS score
                     FROM ctrl_sixs_audit
                    WHERE company_id = %(company)s AND state = 'published' AND tier != 'self_check'
                      AND scheduled_date BETWEEN %(start)s AND %(end)s
               ),
               per AS (
                   SELECT 'area' AS scope, area_id AS aid, ROUND(AVG(score)::numeric, 2) AS score
                     FROM sc GROUP BY area_id
                   UNION ALL
                   SELECT 'process', process_area_id, ROUND(AVG(score)::numeric, 2)
                     FROM sc WHERE process_area_id IS NOT NULL GROUP BY process_area_id
                   UNION ALL
                   SELECT 'department', department_area_id, ROUND(AVG(score)::numeric, 2)
                     FROM sc WHERE department_area_id IS NOT NULL GROUP BY department_area_id
               )
               UPDATE ctrl_sixs_ranking r
                  SET audit_score = per.score,
                      grade_id = (SELECT g.id FROM ctrl_sixs_grade g
                                   WHERE g.id = ANY(%(grades)s) AND per.score >= g.min_score
                                   ORDER BY g.min_score DESC, g.id LIMIT 1)
                 FROM per
                WHERE r.company_id = %(company)s AND r.period_type = %(ptype)s AND r.period_start = %(start)s
                  AND r.scope = per.scope AND r.area_id = per.aid""",
            company=company.id, start=period_start, end=period_end, ptype=period_type, grades=grades.ids))

    def _combine_weekly(self, period_start, period_end, company):
        """Month rows: weight the average of the weekly rows that start in the month against
        the monthly score (weights from the settings; a month without weekly rows keeps its score)."""
        w_week, w_month = company.ctrl_sixs_weight_weekly, company.ctrl_sixs_weight_monthly
        total = (w_week + w_month) or 1.0
        self.env.cr.execute(SQL(
            """UPDATE ctrl_sixs_ranking m
                  SET combined_score = ROUND(((%(ww)s * COALESCE(w.score, m.score) + %(wm)s * m.score)
                                              / %(total)s)::numeric, 2)
                 FROM ctrl_sixs_ranking m2
                 LEFT JOIN (SELECT scope, area_id, employee_id, AVG(score) AS score FROM ctrl_sixs_ranking
                             WHERE company_id = %(company)s AND period_type = 'week'
                               AND period_start BETWEEN %(start)s AND %(end)s
                             GROUP BY scope, area_id, employee_id) w
                   ON w.scope = m2.scope AND w.area_id IS NOT DISTINCT FROM m2.area_id
                  AND w.employee_id IS NOT DISTINCT FROM m2.employee_id
                WHERE m.id = m2.id AND m.company_id = %(company)s AND m.period_type = 'month'
                  AND m.period_start = %(start)s""",
            ww=w_week, wm=w_month, total=total, company=company.id, start=period_start, end=period_end))

    @api.model
    def _cron_rankings(self):
        """Saturday 08:00 (V14, §10 #25): the week's and the month-to-date rankings per
        company. A week the quality director signed is published as it was signed (not
        computed again); an unsigned week is computed and its signers get an activity, and
        nothing is published. Idempotent: a second run changes nothing."""
        today = fields.Date.context_today(self)
        week_start = today - timedelta(days=today.weekday())
        month_start = today.replace(day=1)
        Publication = self.env["ctrl.sixs.publication"]
        for company in self.env["res.company"]._ctrl_live_companies():
            publication = Publication._ctrl_sixs_for_week(week_start, company)
            if publication.state == "computed":
                self._compute_rankings(week_start, week_start + timedelta(days=6), "week", company)
            self._compute_rankings(month_start, month_start + relativedelta(months=1, days=-1), "month", company)
            Publication.sudo().search([("company_id", "=", company.id), ("state", "=", "signed"),
                                       ("period_start", "<=", week_start)])._ctrl_sixs_publish()
            publication._ctrl_sixs_remind()
