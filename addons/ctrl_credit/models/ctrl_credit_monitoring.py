# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Monitoring as escalation steps (issue 3, section 7).

The daily cron creates one record per period (idempotent: a unique key per
company and period, or per tier, customer and period); the ctrl_base
escalation ladders ``credit_review`` and ``credit_visit`` then give the
activities to the named roles, once per record, and escalate what is left
open.
"""
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

EPOCH = date(2000, 1, 1)
ROLE_GROUPS = {
    "sales_manager": "ctrl_base.group_approver_sales_manager",
    "department_head": "ctrl_base.group_approver_department_head",
    "sales_vp": "ctrl_base.group_approver_sales_vp",
    "gm": "ctrl_base.group_approver_gm",
}


def period_bounds(today, period):
    """(first day, last day) of the month, quarter or year holding ``today``."""
    if period == "month":
        start = today.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
    if period == "quarter":
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return start, start + relativedelta(months=3, days=-1)
    start = today.replace(month=1, day=1)
    return start, start + relativedelta(years=1, days=-1)


class CtrlCreditReview(models.Model):
    """Finance's periodic check of receivables against the credit limits
    (001/N37, consensus every 10 days): one per company and period, listing
    the customers over or near their limit."""

    _name = "ctrl.credit.review"
    _description = "Credit Limit Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin"]
    _order = "date desc, id desc"
    _rec_names_search = ["date", "date_end"]

    # Generated, so rendered in the reader's language (not stored in the language it was computed in).
    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("Period from", required=True, readonly=True)
    date_end = fields.Date("Period to", required=True, readonly=True)
    date_open = fields.Date(
        "Opened on", required=True, readonly=True, default=fields.Date.context_today,
        help="The day the cron drew up the review: the escalation ladder counts from it.")
    line_ids = fields.One2many("ctrl.credit.review.line", "review_id", readonly=True)
    over_count = fields.Integer("Over the limit", readonly=True)
    near_count = fields.Integer("Near the limit", readonly=True)
    state = fields.Selection([("open", "To check"), ("done", "Checked")], default="open", required=True,
                             readonly=True, tracking=True, index=True)
    checked_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    user_ids = fields.Many2many("res.users", string="Credit managers", readonly=True,
                                help="The company's credit managers (finance), who get the check activity.")

    _sql_constraints = [("company_period_uniq", "unique(company_id, date)", "One credit review per period.")]

    @api.depends("date", "date_end")
    @api.depends_context("lang")
    def _compute_name(self):
        for review in self:
            review.name = self.env._("Credit limits %(start)s - %(end)s", start=review.date, end=review.date_end)

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    def action_done(self):
        if not self.env.user.has_group("ctrl_credit.group_credit_manager"):
            raise AccessError(_("Only credit managers (finance) can mark the credit review as checked."))
        for review in self.filtered(lambda r: r.state == "open"):
            review.sudo().write({"state": "done", "checked_by_id": self.env.uid})
            review.sudo().activity_ids.action_feedback(feedback=_("Checked by %(user)s", user=self.env.user.name))
        return True

    def action_open_partners(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "res.partner", "name": self.name,
                "view_mode": "list,form", "domain": [("id", "in", self.line_ids.partner_id.ids)]}

    @api.model
    def _period(self, company, today):
        days = max(company.ctrl_credit_review_days, 1)
        start = EPOCH + timedelta(days=(today - EPOCH).days // days * days)
        return start, start + timedelta(days=days - 1)

    @api.model
    def _ctrl_create_due(self, companies, today):
        """The review of the current period for each company, once. Returns the new ones."""
        created = self.browse()
        near = 0.9
        for company in companies:
            start, end = self._period(company, today)
            if self.sudo().search_count([("company_id", "=", company.id), ("date", "=", start)], limit=1):
                continue
            # The review checks receivables against the limits: the watched customers that have a limit.
            rows = [row[:4] for row in self.env["res.partner"]._ctrl_credit_watchlist(company, near=near, today=today)
                    if row[1] and row[2] >= row[1] * near]
            managers = self.env.ref("ctrl_credit.group_credit_manager").sudo().users.filtered(
                lambda u, company=company: u.active and not u.share and company in u.company_ids)
            created |= self.sudo().create({
                "company_id": company.id, "date": start, "date_end": end, "date_open": today,
                "user_ids": [fields.Command.set(managers.ids)],
                "over_count": sum(1 for row in rows if row[2] > row[1]),
                "near_count": sum(1 for row in rows if row[2] <= row[1]),
                "line_ids": [fields.Command.create({
                    "partner_id": partner.id, "credit_limit": limit, "exposure": exposure,
                    "used_percent": round(100.0 * exposure / limit, 1), "overdue_days": days,
                }) for partner, limit, exposure, days in rows],
            })
        return created


class CtrlCreditReviewLine(models.Model):
    _name = "ctrl.credit.review.line"
    _description = "Credit Limit Review Line"
    _order = "used_percent desc, id"

    review_id = fields.Many2one("ctrl.credit.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    credit_limit = fields.Monetary(aggregator=False)
    exposure = fields.Monetary()
    used_percent = fields.Float("Used (%)", aggregator=False)
    overdue_days = fields.Integer("Oldest overdue (days)", aggregator="max")


class CtrlCreditVisitTier(models.Model):
    """Customer visits due by credit-limit tier (001/N26-N35)."""

    _name = "ctrl.credit.visit.tier"
    _description = "Customer Visit Tier"
    _order = "limit_min, sequence, id"

    name = fields.Char("Tier", required=True, translate=True,
                       help="e.g. Limit from 30,000 and term over 1 month: sales manager monthly.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: every company.")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    limit_min = fields.Monetary("Credit limit from", required=True, currency_field="currency_id", aggregator=False)
    term_min_days = fields.Integer("Credit term from (days)", help="0: any term.", aggregator=False)
    role = fields.Selection(
        [("salesperson", "Salesperson"), ("sales_manager", "Sales manager"),
         ("department_head", "Department head"), ("sales_vp", "Sales VP"), ("gm", "General manager")],
        required=True, default="salesperson")
    visits = fields.Integer("Visits", required=True, default=1)
    period = fields.Selection([("month", "per month"), ("quarter", "per quarter"), ("year", "per year")],
                              required=True, default="month")

    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    @api.constrains("limit_min", "term_min_days", "visits")
    def _check_values(self):
        for tier in self:
            if tier.limit_min < 0 or tier.term_min_days < 0:
                raise ValidationError(_("Visit tier %(tier)s: 'Credit limit from' and 'Credit term from' cannot "
                                        "be negative.", tier=tier.name))
            if tier.visits < 1:
                raise ValidationError(_("Visit tier %(tier)s: 'Visits' must be at least 1.", tier=tier.name))

    def _responsibles(self, partner, company):
        """Users of the tier's role for ``partner`` in ``company``."""
        self.ensure_one()
        users = self.env["res.users"]
        if self.role == "salesperson":
            users = partner.user_id
        elif self.role == "sales_manager":
            users = partner.user_id.sale_team_id.user_id  # the salesperson's team leader
        if not users:
            group = ROLE_GROUPS.get(self.role, "ctrl_base.group_approver_sales_manager")
            users = self.env.ref(group).sudo().users
        return users.filtered(lambda u: u.active and not u.share and company in u.company_ids)


class CtrlCreditVisitDue(models.Model):
    """Visits a tier requires for one customer in one period: the key that
    keeps the visit reminders idempotent, and the record the ``credit_visit``
    ladder gives the activities on."""

    _name = "ctrl.credit.visit.due"
    _description = "Customer Visits Due"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin"]
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    tier_id = fields.Many2one("ctrl.credit.visit.tier", required=True, readonly=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    role = fields.Selection(related="tier_id.role")
    visits = fields.Integer(readonly=True)
    date = fields.Date("Period from", required=True, readonly=True)
    date_end = fields.Date("Period to", required=True, readonly=True)
    user_ids = fields.Many2many("res.users", string="Responsible", readonly=True)
    state = fields.Selection([("open", "Due"), ("done", "Visited")], default="open", required=True,
                             readonly=True, tracking=True, index=True)
    note = fields.Text("Visit report")

    _sql_constraints = [("tier_partner_period_uniq", "unique(tier_id, partner_id, date)",
                         "A tier's visits fall due once per customer and period.")]

    def action_done(self):
        for due in self.filtered(lambda d: d.state == "open"):
            due.sudo().write({"state": "done"})
            due.sudo().activity_ids.action_feedback(feedback=due.note or _("Visited"))
            due.partner_id.sudo().message_post(body=_("Customer visit done (%(tier)s): %(note)s",
                                                      tier=due.tier_id.name, note=due.note or ""))
        return True

    def _ctrl_escalation_visit_deadline(self, level):
        """Ladder callback: the activity is due by the end of the period and
        says how many visits the tier requires."""
        labels = dict(self.env["ctrl.credit.visit.tier"]._fields["period"]._description_selection(self.env))
        for due in self:
            due.activity_ids.filtered(lambda a: a.activity_type_id == level.activity_type_id).write({
                "date_deadline": due.date_end,
                "summary": _("Visit %(partner)s: %(visits)s visit(s) %(period)s (%(tier)s)",
                             partner=due.partner_id.display_name, visits=due.visits,
                             period=labels[due.tier_id.period], tier=due.tier_id.name),
            })

    @api.model
    def _ctrl_create_due(self, companies, today, limit):
        """Create the dues of the current periods, at most ``limit``. Returns (created, remaining)."""
        created = self.browse()
        remaining = 0
        Tier = self.env["ctrl.credit.visit.tier"].sudo()
        for company in companies:
            for tier in Tier.search([("company_id", "in", [company.id, False])]):
                start, end = period_bounds(today, tier.period)
                domain = [("parent_id", "=", False), ("credit_limit", ">=", tier.limit_min),
                          ("credit_limit", ">", 0)]
                if tier.term_min_days:
                    domain.append(("ctrl_credit_term_days", ">=", tier.term_min_days))
                partners = self.env["res.partner"].sudo().with_company(company).search(domain, order="id")
                done_ids = set(self.sudo().search([("tier_id", "=", tier.id), ("date", "=", start),
                                                   ("partner_id", "in", partners.ids)]).partner_id.ids)
                todo = partners.filtered(lambda p, done_ids=done_ids: p.id not in done_ids)
                budget = max(limit - len(created), 0)
                remaining += max(len(todo) - budget, 0)
                if budget:
                    created |= self.sudo().create([{
                        "tier_id": tier.id, "partner_id": partner.id, "company_id": company.id,
                        "visits": tier.visits, "date": start, "date_end": end,
                        "user_ids": [fields.Command.set(tier._responsibles(partner, company).ids)],
                    } for partner in todo[:budget]])
        return created, remaining

