# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

STATES = [("draft", "Draft"), ("pending", "Waiting for the admin director"), ("approved", "Approved")]


class CtrlSixsPayroll(models.Model):
    """The monthly 6S summary per employee for payroll (V14 §4.2: the admin director
    enters the rewards and fines in the month's salary). Prepared by a monthly cron,
    one per company and month; approved by the admin director (approval kind
    ``sixs_payroll``); exported as XLSX once approved."""

    _name = "ctrl.sixs.payroll"
    _description = "6S Monthly Payroll Summary"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date_start desc, id desc"

    _ctrl_approval_kind = "sixs_payroll"
    _ctrl_submitted_state = "pending"
    _ctrl_approved_state = "approved"
    # The figures come from the ledger (Prepare again), never from a hand edit.
    _ctrl_protected_fields = ("prepared_by_id", "date_prepared", "employee_count", "points_money", "fine_amount",
                              "award_amount", "total_amount")
    _ctrl_content_fields = ("month", "date_start", "date_end", "line_ids", "company_id")

    _rec_names_search = ["month"]

    # Generated, so rendered in the reader's language (not stored in the language it was computed in).
    name = fields.Char(compute="_compute_name", search="_search_name")
    month = fields.Char(required=True, readonly=True, index=True, help="YYYY-MM, as in the points ledger.")
    date_start = fields.Date(required=True, readonly=True)
    date_end = fields.Date(required=True, readonly=True)
    state = fields.Selection(STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    line_ids = fields.One2many("ctrl.sixs.payroll.line", "payroll_id", "Employees", readonly=True)
    employee_count = fields.Integer(compute="_compute_totals", store=True)
    points_money = fields.Monetary("From points", compute="_compute_totals", store=True,
                                   currency_field="currency_id")
    fine_amount = fields.Monetary("Fixed fines", compute="_compute_totals", store=True, currency_field="currency_id")
    award_amount = fields.Monetary("Awards", compute="_compute_totals", store=True, currency_field="currency_id")
    total_amount = fields.Monetary("Net amount", compute="_compute_totals", store=True, tracking=True,
                                   currency_field="currency_id",
                                   help="Rewards less fines for the month: negative when fines outweigh rewards.")
    money_mode = fields.Selection(related="company_id.ctrl_sixs_money_mode", string="Money conversion")
    prepared_by_id = fields.Many2one("res.users", "Prepared by", readonly=True, tracking=True,
                                     help="Who prepared the summary last. They cannot approve it.")
    date_prepared = fields.Datetime("Prepared on", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company,
                                 index=True)

    _sql_constraints = [
        ("company_month_uniq", "unique(company_id, date_start)", "A company has one 6S payroll summary a month."),
    ]

    @api.depends("month")
    @api.depends_context("lang")
    def _compute_name(self):
        for payroll in self:
            payroll.name = self.env._("6S payroll %(month)s", month=payroll.month or "")

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    @api.depends("line_ids.points_money", "line_ids.fine_amount", "line_ids.award_amount")
    def _compute_totals(self):
        for payroll in self:
            lines = payroll.line_ids
            payroll.employee_count = len(lines)
            payroll.points_money = sum(lines.mapped("points_money"))
            payroll.fine_amount = sum(lines.mapped("fine_amount"))
            payroll.award_amount = sum(lines.mapped("award_amount"))
            payroll.total_amount = payroll.points_money + payroll.fine_amount + payroll.award_amount

    # ------------------------------------------------------------------
    # Preparation
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_prepare(self, month_start, company):
        """The summary of the month starting ``month_start``: created, or refreshed while
        draft. An approved or pending summary is final: UserError."""
        month_start = fields.Date.to_date(month_start).replace(day=1)
        payroll = self.search([("company_id", "=", company.id), ("date_start", "=", month_start)])
        if not payroll:
            payroll = self.create({
                "company_id": company.id, "date_start": month_start, "month": month_start.strftime("%Y-%m"),
                "date_end": month_start + relativedelta(months=1, days=-1)})
        payroll._ctrl_sixs_refresh()
        return payroll

    def _ctrl_sixs_refresh(self):
        self.ensure_one()
        if self.state != "draft":
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(self.env._(
                "%(payroll)s is %(state)s: its figures are final and cannot be prepared again. Prepare another "
                "month, or ask an administrator to cancel the approval request first.",
                payroll=self.name, state=labels[self.state]))
        # The rows are the ledger's sums: written by this step only (callers checked the group).
        self.line_ids.sudo().unlink()
        self.env["ctrl.sixs.payroll.line"].sudo().create(self._ctrl_sixs_line_vals())
        self._ctrl_write_protected({"prepared_by_id": self.env.uid, "date_prepared": fields.Datetime.now()})
        return True

    def _ctrl_sixs_line_vals(self):
        """One row per employee with ledger entries or awards in the month, summed in SQL."""
        self.ensure_one()
        for model in ("ctrl.sixs.point", "ctrl.sixs.award", "ctrl.sixs.area"):
            self.env[model].flush_model()
        self.env.cr.execute(SQL(
            """WITH pts AS (
                   SELECT employee_id, SUM(points) AS net, -SUM(LEAST(points, 0)) AS lost,
                          SUM(LEAST(amount, 0)) AS fines, SUM(GREATEST(amount, 0)) AS rewards
                     FROM ctrl_sixs_point
                    WHERE company_id = %(company)s AND state = 'posted' AND employee_id IS NOT NULL
                      AND date BETWEEN %(start)s AND %(end)s
                    GROUP BY employee_id
               ),
               won AS (
                   SELECT CASE WHEN aw.award_type = 'model_area' THEN ar.responsible_id ELSE aw.employee_id END
                              AS employee_id,
                          CASE WHEN aw.award_type = 'model_area' THEN aw.leader_amount ELSE aw.amount END AS amount
                     FROM ctrl_sixs_award aw LEFT JOIN ctrl_sixs_area ar ON ar.id = aw.area_id
                    WHERE aw.company_id = %(company)s AND aw.state = 'approved'
                      AND aw.period_end BETWEEN %(start)s AND %(end)s
               ),
               awards AS (
                   SELECT employee_id, SUM(amount) AS amount FROM won
                    WHERE employee_id IS NOT NULL GROUP BY employee_id
               )
               SELECT COALESCE(p.employee_id, a.employee_id), COALESCE(p.net, 0), COALESCE(p.lost, 0),
                      COALESCE(p.fines, 0), COALESCE(p.rewards, 0) + COALESCE(a.amount, 0)
                 FROM pts p FULL JOIN awards a ON a.employee_id = p.employee_id""",
            company=self.company_id.id, start=self.date_start, end=self.date_end))
        rows = self.env.cr.fetchall()
        company = self.company_id
        tolerance = company.ctrl_sixs_tolerance
        vals_list = []
        for employee_id, net, lost, fines, rewards in rows:
            beyond = max(lost - tolerance, 0.0)
            if company.ctrl_sixs_money_mode == "beyond_tolerance":
                money = -beyond * company.ctrl_sixs_money_per_point_tolerance
            else:
                money = net * company.ctrl_sixs_money_per_point
            vals_list.append({
                "payroll_id": self.id, "employee_id": employee_id, "points": net, "points_lost": lost,
                "points_beyond": beyond, "points_money": company.currency_id.round(money),
                "fine_amount": fines, "award_amount": rewards})
        return vals_list

    @api.model
    def action_prepare_last_month(self):
        """List button: prepare (or refresh) last month's summary of the current company."""
        self._ctrl_sixs_check_group("ctrl_sixs.group_sixs_manager")
        month_start = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        payroll = self._ctrl_sixs_prepare(month_start, self.env.company)
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": payroll.id, "view_mode": "form"}

    def action_refresh(self):
        self._ctrl_sixs_check_group("ctrl_sixs.group_sixs_manager")
        for payroll in self:
            payroll._ctrl_sixs_refresh()
        return True

    @api.model
    def _cron_prepare(self):
        """Monthly: last month's summary per company. Idempotent: a draft is refreshed,
        a summary under approval or approved is left alone."""
        month_start = fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        final = self.search([("date_start", "=", month_start), ("state", "in", ("pending", "approved"))])
        for company in self.env["res.company"].search([("id", "not in", final.company_id.ids),
                                                       ("ctrl_live", "=", True)]):
            self.with_company(company)._ctrl_sixs_prepare(month_start, company)

    # ------------------------------------------------------------------
    # Approval and export
    # ------------------------------------------------------------------
    def _ctrl_sixs_check_group(self, *groups):
        if not self.env.su and not any(self.env.user.has_group(group) for group in groups):
            raise AccessError(self.env._("Only 6S managers prepare and submit the payroll summary, and only they "
                                         "and the admin director export it."))

    def action_submit(self):
        self._ctrl_sixs_check_group("ctrl_sixs.group_sixs_manager")
        for payroll in self:
            if payroll.state != "draft":
                raise UserError(self.env._("%(payroll)s was already submitted.", payroll=payroll.name))
            if not payroll.line_ids:
                raise UserError(self.env._(
                    "%(payroll)s has no employee with 6S points, fines or awards in %(month)s: there is nothing "
                    "to approve. Prepare it again once the month's audits are published.",
                    payroll=payroll.name, month=payroll.month))
            payroll._ctrl_submit(
                amount=abs(payroll.total_amount),
                reason=self.env._("%(payroll)s: %(count)s employees, net %(amount)s",
                                  payroll=payroll.name, count=payroll.employee_count, amount=payroll.total_amount))
        return True

    def _ctrl_approval_preparer(self):
        return self.prepared_by_id or self.create_uid

    def _ctrl_approval_amount(self, rule_model_kind):
        return abs(self.total_amount)

    def action_export_xlsx(self):
        """The approved summary as an XLSX workbook for payroll (a copy stays attached to the record)."""
        self.ensure_one()
        self._ctrl_sixs_check_export()
        return self.env.ref("ctrl_sixs.report_payroll_xlsx").report_action(self)

    def _ctrl_sixs_check_export(self):
        """Only 6S managers and the admin director export, and only an approved summary."""
        self._ctrl_sixs_check_group("ctrl_sixs.group_sixs_manager", "ctrl_sixs.group_sixs_admin_director")
        labels = dict(self._fields["state"]._description_selection(self.env))
        if payroll := self.filtered(lambda payroll: payroll.state != "approved")[:1]:
            raise UserError(self.env._(
                "%(payroll)s is %(state)s: only an approved summary goes to payroll. Submit it to the admin "
                "director and export it once approved.", payroll=payroll.name, state=labels[payroll.state]))

