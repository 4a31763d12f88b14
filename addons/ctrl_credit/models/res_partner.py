# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from odoo.addons.ctrl_base.tools.i18n import company_lang, installed_langs, load_module_terms

from .ctrl_credit_limit_change import APPROVED_KEY, LIMIT_FIELDS

# Demo customers: key: (name, credit grade, days past due of each invoice; negative: not due yet).
# Every aging bucket is filled: not due, 1-10, 11-30, 31-60, 61-90, 91-180, 181-365, over 365 days.
DEMO_CUSTOMERS = {
    "yuanda": ("Hangzhou Yuanda Trading Co.", "A", (-40, -20)),
    "jiayu": ("Wuxi Jiayu Building Supplies", "A", (-35, -10)),
    "huaxin": ("Shanghai Huaxin Machinery", "A", (-25, 4, 8)),
    "jinlong": ("Ningbo Jinlong Hardware", "A", (-15, 6, 20)),
    "tianyi": ("Tianjin Tianyi Logistics", "A", (-30, 12)),
    "sanhe": ("Guangzhou Sanhe Packaging", "A", (-45, 3, 25)),
    "hengtai": ("Nanjing Hengtai Building Materials", "B", (-20, 40, 75)),
    "dongfang": ("Xiamen Dongfang Textiles", "B", (-10, 15, 45)),
    "kaiyuan": ("Chengdu Kaiyuan Foods", "B", (-28, 35, 62)),
    "xinghe": ("Qingdao Xinghe Ceramics", "B", (-5, 22, 88)),
    "boda": ("Wuhan Boda Auto Parts", "B", (-18, 9, 50)),
    "lianhe": ("Hefei Lianhe Glass", "B", (-12, 28, 70)),
    "minsheng": ("Fuzhou Minsheng Paper", "B", (-22, 55, 80)),
    "huarun": ("Changsha Huarun Plastics", "B", (-8, 16, 33)),
    "yongxin": ("Kunming Yongxin Tea", "B", (-33, 2, 66)),
    "mingda": ("Suzhou Mingda Electronics", "C", (-30, -15, -5)),
    "anda": ("Jinan Anda Steel", "C", (-14, 95, 140)),
    "zhongxing": ("Harbin Zhongxing Tools", "C", (-6, 120, 200)),
    "fuxing": ("Shenyang Fuxing Chemicals", "C", (-9, 100, 250)),
    "hongyun": ("Nanning Hongyun Furniture", "C", (-24, 150, 300)),
    "guotai": ("Zhengzhou Guotai Cables", "C", (-3, 92, 185)),
    "baoli": ("Lanzhou Baoli Pumps", "C", (-16, 170, 340)),
    "shunfa": ("Taiyuan Shunfa Coatings", "C", (-11, 110, 220)),
    "jiahe": ("Nanchang Jiahe Textiles", "D", (130, 400)),
    "xinda": ("Guiyang Xinda Mining", "D", (280, 420, 800)),
    "ruifeng": ("Hohhot Ruifeng Dairy", "D", (190, 500)),
    "changcheng": ("Shijiazhuang Changcheng Bricks", "D", (375, 950)),
    "jinma": ("Urumqi Jinma Transport", "D", (260, 700)),
    "haitian": ("Haikou Haitian Seafood", "D", (365, 600, 1200)),
    "taishan": ("Tai'an Taishan Quarry", "D", (45, 390)),
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    ctrl_credit_grade_id = fields.Many2one(
        "ctrl.credit.grade", "Credit grade", company_dependent=True, tracking=True,
        help="Set by an approved credit evaluation.")
    ctrl_credit_term_days = fields.Integer("Credit term (days)", company_dependent=True, tracking=True)
    ctrl_credit_evaluation_date = fields.Date("Last credit evaluation", company_dependent=True)
    ctrl_credit_evaluation_ids = fields.One2many("ctrl.credit.evaluation", "partner_id", "Credit evaluations")
    ctrl_credit_hold_ids = fields.One2many("ctrl.credit.hold", "partner_id", "Credit holds")
    ctrl_credit_on_hold = fields.Boolean(
        "On credit hold", compute="_compute_ctrl_credit_on_hold", search="_search_ctrl_credit_on_hold",
        help="The customer's orders are held: by a hold placed on the customer, or because an invoice is overdue "
             "or the credit limit is used up.")
    ctrl_credit_hold_summary = fields.Text(
        "Why on hold", compute="_compute_ctrl_credit_on_hold", groups="ctrl_credit.group_credit_user")
    # Odoo keeps credit_limit for invoicing users: the credit roles read it through this field.
    ctrl_credit_limit = fields.Monetary(
        "Credit limit", compute="_compute_ctrl_credit_exposure", currency_field="ctrl_credit_currency_id",
        groups="ctrl_credit.group_credit_user",
        help="The customer's credit limit in this company. It changes through a credit evaluation or a limit "
             "change request.")
    ctrl_credit_exposure = fields.Monetary(
        "Credit exposure", compute="_compute_ctrl_credit_exposure", currency_field="ctrl_credit_currency_id",
        help="Open posted receivables + confirmed orders not yet invoiced + draft invoices, in company currency.")
    ctrl_credit_available = fields.Monetary(
        "Available credit", compute="_compute_ctrl_credit_exposure", currency_field="ctrl_credit_currency_id")
    ctrl_credit_overdue_days = fields.Integer("Oldest overdue (days)", compute="_compute_ctrl_credit_exposure")
    ctrl_credit_currency_id = fields.Many2one("res.currency", compute="_compute_ctrl_credit_exposure")

    # 001/AR16.8: customers under one controlling person share the group's cap. A plain Many2one (one controlling
    # person whatever the company); the group's company is where its cap applies.
    ctrl_credit_group_id = fields.Many2one(
        "ctrl.credit.group", "Credit group", index="btree_not_null", tracking=True, copy=False, ondelete="restrict",
        help="The customers of a credit group share its credit limit, on top of their own. Set by a credit manager.")
    ctrl_credit_collateral_ids = fields.One2many("ctrl.credit.collateral", "partner_id", "Collateral")

    ctrl_credit_change_ids = fields.One2many("ctrl.credit.limit.change", "partner_id", "Credit changes")
    ctrl_credit_change_pending = fields.Boolean(
        "Credit change pending", compute="_compute_ctrl_credit_change_pending")

    @api.depends_context("company")
    def _compute_ctrl_credit_change_pending(self):
        pending = {partner.id for (partner,) in self.env["ctrl.credit.limit.change"].sudo()._read_group(
            [("partner_id", "in", self.commercial_partner_id.ids), ("state", "=", "pending"),
             ("company_id", "=", self.env.company.id)], ["partner_id"])} if self.ids else set()
        for partner in self:
            partner.ctrl_credit_change_pending = partner.commercial_partner_id.id in pending

    # ------------------------------------------------------------------
    # Limit and grade changes go through approval (issue 3, section 4)
    # ------------------------------------------------------------------
    def _ctrl_credit_change_bypass(self):
        """An approved change (evaluation or limit-change request) or module
        data. The context key counts only in superuser mode, which RPC cannot reach."""
        context = self.env.context
        return self.env.su and bool(context.get(APPROVED_KEY) or context.get("install_module"))

    def _ctrl_credit_change_gated(self, vals, company):
        """Does a change of the limit fields in ``vals`` need approval here?"""
        scope = company.ctrl_credit_limit_change_approval
        if scope == "off" or self.commercial_partner_id != self:
            return False  # contacts follow their company's values (commercial fields)
        if scope == "all":
            return True
        return bool(self.with_company(company).sudo().ctrl_credit_grade_id or vals.get("ctrl_credit_grade_id"))

    def _ctrl_credit_check_group_write(self, vals_list):
        """Only credit managers set or change a customer's credit group (the server may)."""
        if self.env.su or not any(vals.get("ctrl_credit_group_id") or ("ctrl_credit_group_id" in vals and self)
                                  for vals in vals_list):
            return
        if not self.env.user.has_group("ctrl_credit.group_credit_manager"):
            raise AccessError(_("Only a credit manager can add a customer to a credit group or take it out."))

    @api.constrains("ctrl_credit_group_id", "parent_id", "is_company")
    def _check_ctrl_credit_group(self):
        for partner in self.filtered("ctrl_credit_group_id"):
            if partner.commercial_partner_id != partner:
                raise ValidationError(_(
                    "%(contact)s is a contact of %(company)s: put the company in the Credit group, not its contact.",
                    contact=partner.display_name, company=partner.commercial_partner_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        self._ctrl_credit_check_group_write(vals_list)
        if self._ctrl_credit_change_bypass():
            return super().create(vals_list)
        later = []
        for vals in vals_list:
            gated = {f: vals.pop(f) for f in LIMIT_FIELDS if f in vals and vals[f]}
            later.append(gated)
        partners = super().create(vals_list)
        for partner, gated in zip(partners, later):
            if gated:
                partner.write(gated)  # through the approval gate below
        return partners

    def write(self, vals):
        self._ctrl_credit_check_group_write([vals])
        if not any(f in vals for f in LIMIT_FIELDS) or self._ctrl_credit_change_bypass():
            return super().write(vals)
        company = self.env.company
        Change = self.env["ctrl.credit.limit.change"]
        gated = self.browse()
        for partner in self:
            if partner._ctrl_credit_change_gated(vals, company):
                changes = Change._ctrl_new_values(partner, vals)
                if changes:
                    Change._ctrl_request(partner, changes)
                    gated |= partner
        if gated:
            rest = {k: v for k, v in vals.items() if k not in LIMIT_FIELDS}
            if rest:
                super(ResPartner, gated).write(rest)
            if self - gated:
                super(ResPartner, self - gated).write(vals)
            return True
        return super().write(vals)

    def action_ctrl_credit_view_changes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_credit.ctrl_credit_limit_change_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    @api.depends_context("company")
    def _compute_ctrl_credit_on_hold(self):
        reasons = self._ctrl_credit_hold_reasons(self.env.company) if self.ids else {}
        for partner in self:
            lines = reasons.get(partner.commercial_partner_id.id, [])
            partner.ctrl_credit_on_hold = bool(lines)
            partner.ctrl_credit_hold_summary = "\n".join(lines)

    def _search_ctrl_credit_on_hold(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Filter 'On credit hold' with 'is set' or 'is not set'."))
        company = self.env.company
        positive = (operator == "=") == bool(value)
        if not company.ctrl_live:
            return [(0, "=", 1)] if positive else []  # issue #24: nobody is held before activation
        holds = self.env["ctrl.credit.hold"].sudo()._search(
            [("state", "=", "active"), ("company_id", "=", company.id)])
        # Customers held by their figures: only those with a limit or a grade can be.
        controlled = self.sudo().with_company(company).search(
            ["|", "|", ("credit_limit", ">", 0), ("ctrl_credit_grade_id", "!=", False),
             ("ctrl_credit_group_id.company_id", "=", company.id)])
        computed = list(controlled._ctrl_credit_hold_reasons(company, records=False))
        domain = ["|", ("commercial_partner_id", "in", holds.subselect("partner_id")),
                  ("commercial_partner_id", "in", computed)]
        return domain if positive else ["!"] + domain

    def _ctrl_credit_hold_reasons(self, company, records=True, today=None):
        """{commercial partner id: [reason in plain words]} for every hold that
        blocks the customer's orders in ``company``: active hold records
        (``records``), invoices overdue beyond the grace days and a used-up
        credit limit, where the company blocks them. Set-based."""
        commercials = self.commercial_partner_id
        result = {}
        if not company.ctrl_live:
            return result  # issue #24: nothing holds an order before the internal controls are activated
        if records and commercials:
            holds = self.env["ctrl.credit.hold"].sudo().search([
                ("partner_id", "in", commercials.ids), ("state", "=", "active"), ("company_id", "=", company.id)])
            for hold in holds:
                result.setdefault(hold.partner_id.id, []).append(hold._ctrl_credit_label())
        Hold = self.env["ctrl.credit.hold"]
        figures, group_exposures = commercials._ctrl_credit_group_figures(company, today)
        limits = commercials._ctrl_credit_limits(company, today)
        currency = company.currency_id
        for partner in commercials.sudo().with_company(company):
            exposure, days = figures.get(partner.id, (0.0, 0))
            group = partner.ctrl_credit_group_id
            if group.id in group_exposures and float_compare(group_exposures[group.id], group.credit_limit,
                                       precision_rounding=currency.rounding) >= 0 \
                    and Hold._mode_for("over_limit", partner, company) == "block":
                result.setdefault(partner.id, []).append(_(
                    "Credit limit of the group %(group)s used up: the group's exposure %(exposure)s, its limit "
                    "%(limit)s.", group=group.name, exposure=currency.format(group_exposures[group.id]),
                    limit=currency.format(group.credit_limit)))
            if not partner._ctrl_credit_controlled(company):
                continue
            if days > company.ctrl_credit_overdue_grace_days and Hold._mode_for("overdue", partner, company) == "block":
                result.setdefault(partner.id, []).append(_(
                    "Overdue: an invoice is %(days)s days past due (grace %(grace)s days).",
                    days=days, grace=company.ctrl_credit_overdue_grace_days))
            limit, enforced = limits.get(partner.id, (0.0, False))
            if enforced and float_compare(exposure, limit, precision_rounding=currency.rounding) >= 0 \
                    and Hold._mode_for("over_limit", partner, company) == "block":
                result.setdefault(partner.id, []).append(_(
                    "Credit limit used up: exposure %(exposure)s, limit %(limit)s.",
                    exposure=currency.format(exposure), limit=currency.format(limit)))
        return result

    @api.depends_context("company")
    def _compute_ctrl_credit_exposure(self):
        company = self.env.company
        figures = self._ctrl_credit_figures(company)
        limits = self._ctrl_credit_limits(company) if self.ids else {}
        for partner in self:
            exposure, days = figures.get(partner.commercial_partner_id.id, (0.0, 0))
            partner.ctrl_credit_currency_id = company.currency_id
            partner.ctrl_credit_exposure = exposure
            limit = limits.get(partner.commercial_partner_id.id, (0.0, False))[0]
            partner.ctrl_credit_limit = limit
            partner.ctrl_credit_available = limit - exposure
            partner.ctrl_credit_overdue_days = days

    # ------------------------------------------------------------------
    # Set-based figures: one query for a whole batch of partners.
    # ------------------------------------------------------------------
    def _ctrl_credit_figures(self, company, today=None, lock=False, commercial_ids=None):
        """{commercial partner id: (exposure, oldest overdue days)} in company
        currency. The exposure (open posted receivables, orders to invoice,
        draft invoices and bills not collected) is read from the exposure ledger (ctrl.credit.exposure),
        the one place it is kept; ``lock`` locks its rows until the end of the
        transaction (a confirmation's check). The oldest overdue due date is one
        index probe per contact and receivable account, in the same query: no
        sum over the customer's history. The overdue days leave out invoices due
        before the go-live date (issue #24)."""
        commercial_ids = sorted(set(self.commercial_partner_id.ids if commercial_ids is None else commercial_ids))
        if not commercial_ids:
            return {}
        today = today or fields.Date.context_today(self)
        figures = self.env["ctrl.credit.exposure"]._ctrl_read(
            commercial_ids, company, today, since=company._ctrl_credit_overdue_from(), lock=lock)
        rounding = company.currency_id.round
        return {partner_id: (rounding(exposure), (today - oldest).days if oldest else 0)
                for partner_id, (exposure, oldest) in figures.items()}

    def _ctrl_credit_group_figures(self, company, today=None, lock=False):
        """(figures, {group id: group exposure}): ``_ctrl_credit_figures`` of
        the commercial partners and of every customer of their active credit
        groups in ``company``, read together from the ledger (``lock``: all
        their rows, in id order, so that two members' confirmations racing for
        the group's last credit run one after the other), and each group's
        exposure, the sum of its customers'. One query more than
        ``_ctrl_credit_figures``: the groups' customers."""
        commercials = self.commercial_partner_id
        group_ids = commercials.sudo().ctrl_credit_group_id.ids
        members = {}
        if group_ids:
            self.env["ctrl.credit.group"].flush_model(["company_id", "active"])
            self.flush_model(["ctrl_credit_group_id"])
            members = dict(self.env.execute_query(SQL(
                """SELECT g.id, ARRAY_AGG(p.id ORDER BY p.id)
                     FROM ctrl_credit_group g
                     JOIN res_partner p ON p.ctrl_credit_group_id = g.id
                    WHERE g.id = ANY(%s) AND g.company_id = %s AND g.active
                    GROUP BY g.id""", group_ids, company.id)))
        ids = set(commercials.ids).union(*members.values())
        figures = self._ctrl_credit_figures(company, today, lock=lock, commercial_ids=ids)
        rounding = company.currency_id.round
        return figures, {group_id: rounding(sum(figures.get(member, (0.0, 0))[0] for member in member_ids))
                         for group_id, member_ids in members.items()}

    def _ctrl_credit_limits(self, company, today=None):
        """{commercial partner id: (credit limit, enforced)} in ``company``'s
        currency. Under a grade whose limit comes from collateral (001/AR02.7,
        N16) the limit is the sum of the customer's active collateral valid on
        ``today`` (converted at the day's rate, rounded), enforced even at
        zero; otherwise the limit of record, enforced when set. Set-based."""
        partners = self.commercial_partner_id.with_company(company).sudo()
        today = today or fields.Date.context_today(self)
        secured = partners.filtered(lambda p: p.ctrl_credit_grade_id.limit_basis == "collateral")
        values = dict.fromkeys(secured.ids, 0.0)
        if secured:
            Collateral = self.env["ctrl.credit.collateral"].sudo()
            for partner, currency, value in Collateral._read_group(
                    Collateral._ctrl_counting_domain(today) + [("partner_id", "in", secured.ids),
                                                               ("company_id", "=", company.id)],
                    ["partner_id", "currency_id"], ["value:sum"]):
                values[partner.id] += currency._convert(value, company.currency_id, company, today, round=False)
        rounding = company.currency_id.round
        return {partner.id: (rounding(values[partner.id]), True) if partner.id in values
                else (partner.credit_limit or 0.0, bool(partner.credit_limit)) for partner in partners}

    def _ctrl_credit_exposure_map(self, company):
        """{commercial partner id: exposure in company currency}."""
        return {pid: exposure for pid, (exposure, _days) in self._ctrl_credit_figures(company).items()}

    def _ctrl_credit_overdue_map(self, company, today=None):
        """{commercial partner id: days the oldest open receivable is overdue}."""
        return {pid: days for pid, (_exposure, days) in self._ctrl_credit_figures(company, today).items() if days}

    def _ctrl_credit_active_holds(self, mode=None):
        """Active holds of the commercial partner in the current company."""
        domain = [("partner_id", "=", self.commercial_partner_id.id), ("state", "=", "active"),
                  ("company_id", "=", self.env.company.id)]
        if mode:
            domain.append(("mode", "=", mode))
        return self.env["ctrl.credit.hold"].sudo().search(domain)

    def _ctrl_credit_controlled(self, company):
        """Credit-controlled: a limit of record or a grade in ``company`` (a
        credit group's cap is checked for its customers either way)."""
        partner = self.commercial_partner_id.with_company(company).sudo()
        return bool(partner.credit_limit or partner.ctrl_credit_grade_id)

    def _ctrl_credit_policy(self, company):
        """'credit', 'deposit' or 'cash' for ``company``."""
        partner = self.commercial_partner_id.with_company(company).sudo()
        grade = partner.ctrl_credit_grade_id
        if grade:
            return grade.policy
        return "cash" if company.ctrl_credit_ungraded_cash_only else "credit"

    @api.model
    def _ctrl_credit_file_overdue_ids(self, company, today=None):
        """Commercial partners whose credit file is overdue (001/N01-N05): the
        threshold deal is older than the due days and no file is approved."""
        today = today or fields.Date.context_today(self)
        self.env["sale.order"].flush_model(["state", "amount_total", "currency_rate", "date_order", "partner_id"])
        rows = self.env.execute_query(SQL(
            """
            WITH deals AS (
                SELECT p.commercial_partner_id AS partner_id, so.date_order,
                       ROW_NUMBER() OVER (PARTITION BY p.commercial_partner_id ORDER BY so.date_order) AS nth
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND so.company_id = %(company)s
                   AND so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1) >= %(amount)s
            )
            SELECT d.partner_id FROM deals d
             WHERE d.nth = %(deals)s AND d.date_order::date <= %(due)s AND %(live)s
               AND NOT EXISTS (SELECT 1 FROM ctrl_credit_evaluation e
                                WHERE e.partner_id = d.partner_id AND e.company_id = %(company)s
                                  AND e.state = 'approved')
               AND NOT EXISTS (SELECT 1 FROM ctrl_credit_hold h
                                WHERE h.partner_id = d.partner_id AND h.company_id = %(company)s
                                  AND h.reason = 'no_credit_file' AND h.state = 'active')
            """, company=company.id, amount=company.ctrl_credit_file_min_amount,
            deals=max(company.ctrl_credit_file_min_deals, 1),
            due=today - timedelta(days=company.ctrl_credit_file_due_days),
            # Go-live: no hold for a company whose controls are off, nor for deals before its go-live date.
            live=self.env["res.company"]._ctrl_live_sql(SQL("%s::int", company.id), SQL("d.date_order::date"))))
        return [partner_id for (partner_id,) in rows]

    @api.model
    def _cron_ctrl_credit_file_due(self, batch_size=500):
        """Daily: hold credit sales of customers whose credit file is overdue.
        Idempotent (an active hold is not placed twice) and batched."""
        done = remaining = 0
        Hold = self.env["ctrl.credit.hold"]
        for company in self.env["res.company"]._ctrl_live_companies():
            ids = self._ctrl_credit_file_overdue_ids(company)
            for partner in self.browse(ids[:batch_size]):
                # 001/N01-N05
                Hold._ctrl_place(partner, "no_credit_file", company=company,
                                 note=_("Credit file overdue: approve a credit evaluation of the customer."))
            done += len(ids[:batch_size])
            remaining += max(len(ids) - batch_size, 0)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    @api.model
    def _cron_ctrl_credit_monitoring(self, batch_size=1000, today=None):
        """Daily: the finance review of each period and the customer visits due,
        then the escalation ladders that give their activities. Idempotent per
        (company, period) and (tier, customer, period); batched."""
        today = today or fields.Date.context_today(self)
        companies = self.env["res.company"]._ctrl_live_companies()
        reviews = self.env["ctrl.credit.review"]._ctrl_create_due(companies, today)
        dues, remaining = self.env["ctrl.credit.visit.due"]._ctrl_create_due(companies, today, batch_size)
        Ladder = self.env["ctrl.escalation.ladder"].sudo()
        steps = 0
        for code in ("credit_review", "credit_visit"):
            for ladder in Ladder.search([("code", "=", code)]):
                ladder_done, ladder_remaining = ladder._run_batch(today=today)
                steps += ladder_done
                remaining += ladder_remaining
        self.env["ir.cron"]._notify_progress(done=len(reviews) + len(dues) + steps, remaining=remaining)
        return len(reviews), len(dues)

    @api.model
    def _ctrl_credit_watchlist(self, company, near=0.9, today=None):
        """Customers to watch in ``company``: over, or at ``near`` of, their
        credit limit, with invoices overdue beyond the grace days, or on
        credit hold (a hold record or their figures).
        [(partner, limit, exposure, overdue days, reasons)], worst first."""
        today = today or fields.Date.context_today(self)
        Partner = self.sudo().with_company(company)
        limited = Partner.search([("credit_limit", ">", 0)]) | self.env["ctrl.credit.collateral"].sudo().search(
            [("company_id", "=", company.id), ("state", "=", "active")]).partner_id.with_company(company)
        held = self.env["ctrl.credit.hold"].sudo().search(
            [("state", "=", "active"), ("company_id", "=", company.id)]).partner_id
        self.env["account.move.line"].flush_model(
            ["amount_residual", "partner_id", "parent_state", "account_id", "date_maturity", "reconciled"])
        overdue_ids = [pid for (pid,) in self.env.execute_query(SQL(
            """SELECT DISTINCT p.commercial_partner_id
                 FROM account_move_line aml
                 JOIN res_partner p ON p.id = aml.partner_id
                 JOIN account_account acc ON acc.id = aml.account_id
                WHERE aml.company_id = %(company)s AND aml.reconciled IS NOT TRUE
                  AND aml.parent_state = 'posted' AND acc.account_type = 'asset_receivable'
                  AND aml.amount_residual > 0 AND aml.date_maturity < %(due)s
                  AND aml.date_maturity >= %(since)s""",
            company=company.id, due=today - timedelta(days=company.ctrl_credit_overdue_grace_days),
            since=company._ctrl_credit_overdue_from() or date.min))]
        partners = (limited | held | Partner.browse(overdue_ids)).commercial_partner_id.with_company(company)
        figures = partners._ctrl_credit_figures(company, today)
        reasons = partners._ctrl_credit_hold_reasons(company, today=today)
        limits = partners._ctrl_credit_limits(company, today)
        rows = []
        for partner in partners:
            exposure, days = figures.get(partner.id, (0.0, 0))
            limit = limits.get(partner.id, (0.0, False))[0]
            near_limit = limit and exposure >= limit * near
            late = days > company.ctrl_credit_overdue_grace_days
            if near_limit or late or partner.id in reasons:
                rows.append((partner, limit, exposure, days, reasons.get(partner.id, [])))
        return sorted(rows, key=lambda row: (bool(row[4]), row[2] / row[1] if row[1] else 0.0, row[3]),
                      reverse=True)

    def action_ctrl_credit_export_xlsx(self):
        """Download the customers to watch: near or over their limit, overdue or on hold (XLSX)."""
        self.env["report.ctrl_credit.credit_watchlist"]._ctrl_xlsx_check(self.browse(), {})
        return self.env.ref("ctrl_credit.report_credit_watchlist_xlsx").report_action([])

    def action_ctrl_credit_evaluate(self):
        self.ensure_one()
        evaluation = self.env["ctrl.credit.evaluation"].create({
            "partner_id": self.commercial_partner_id.id,
            "new_customer": not self.commercial_partner_id.ctrl_credit_evaluation_date,
        })
        return {"type": "ir.actions.act_window", "res_model": "ctrl.credit.evaluation", "res_id": evaluation.id,
                "view_mode": "form"}

    def action_ctrl_credit_view_holds(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_credit.ctrl_credit_hold_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_credit_demo_story(self):
        """Demo data (demo/ctrl_credit_demo.xml): graded customers with posted invoices in every aging
        bucket and partial payments, dated from today; a held quotation for each kind of hold (overdue, over
        the limit, by hand); an order waiting for approval by value. Done once: a later update keeps what users did."""
        if self.env.ref("ctrl_credit.demo_customer_01", raise_if_not_found=False):
            return
        company = self.env.ref("base.main_company")
        # In the database's language, as its users would have written it.
        self = self.with_company(company).with_context(tracking_disable=True, mail_notrack=True,
                                                       lang=company_lang(company))
        load_module_terms(self.env, "ctrl_credit")
        salesman = self.env.ref("ctrl_base.demo_user_salesman")
        manager = self.env.ref("ctrl_base.demo_user_sales_manager")
        product = self._ctrl_credit_demo_product()
        customers = self._ctrl_credit_demo_customers(salesman, manager)
        today = fields.Date.context_today(self)
        for index, (key, (_name, _grade, ages)) in enumerate(DEMO_CUSTOMERS.items()):
            for number, age in enumerate(ages):
                amount = 8000.0 + 1000.0 * ((index * 7 + number * 5) % 23)
                invoice = self._ctrl_credit_demo_invoice(customers[key], product, amount, today - timedelta(days=age))
                if number % 2 and age > 0:
                    self._ctrl_credit_demo_pay(invoice, round(amount * (0.3 + 0.1 * (index % 4)), -2))
        # The salesman's quotations to the held customers (overdue, over the limit, held by hand in the demo
        # data), each asking for a release: the holds are placed.
        customers["manual"] = self.env.ref("base.res_partner_4")
        for key, amount in (("hengtai", 20000.0), ("mingda", 60000.0), ("manual", 15000.0)):
            order = self._ctrl_credit_demo_order(customers[key], product, amount, salesman)
            order.with_user(salesman).action_ctrl_credit_request_override()
        # An order above the salesman's authority: the sales manager approves it.
        order = self._ctrl_credit_demo_order(customers["yuanda"], product, 150000.0, salesman)
        order.with_user(salesman).write({
            "ctrl_contract_signed": True, "ctrl_late_payment_clause": True,
            "payment_term_id": self.env.ref("account.account_payment_term_30days").id,
            "ctrl_guarantee_note": "Parent company guarantee, Yuanda Group, signed with the contract.",
        })
        self.env["ir.attachment"].create({"name": "Signed contract.pdf", "res_model": "sale.order",
                                          "res_id": order.id, "raw": b"%PDF-1.4 signed contract"})
        order.with_user(salesman).action_confirm()

    @api.model
    def _ctrl_credit_demo_product(self):
        product = self.env["product.product"]._load_records([{
            "xml_id": "ctrl_credit.demo_product_materials", "noupdate": True,
            "values": {"name": "Building materials (lot)", "type": "consu", "list_price": 1000.0,
                       "invoice_policy": "order", "taxes_id": [Command.clear()]},
        }])
        if "zh_CN" in installed_langs(self.env):
            product.product_tmpl_id.update_field_translations("name", {"zh_CN": "建材（批）"})
        return product

    @api.model
    def _ctrl_credit_demo_customers(self, salesman, manager):
        grades = {code: self.env.ref(f"ctrl_credit.grade_{code.lower()}") for code in "ABCD"}
        data = []
        for index, (name, grade, _ages) in enumerate(DEMO_CUSTOMERS.values()):
            data.append({"xml_id": f"ctrl_credit.demo_customer_{index + 1:02d}", "noupdate": True, "values": {
                "name": name, "is_company": True, "customer_rank": 1,
                "user_id": (manager if index % 5 == 4 else salesman).id,
                "credit_limit": grades[grade].default_limit, "ctrl_credit_grade_id": grades[grade].id,
                "ctrl_credit_term_days": grades[grade].term_days,
                "ctrl_credit_evaluation_date": fields.Date.context_today(self) - timedelta(days=30 + index * 3),
            }})
        # Demo data sets the limits of record, as an approved evaluation would.
        partners = self.sudo().with_context(**{APPROVED_KEY: True})._load_records(data)
        return dict(zip(DEMO_CUSTOMERS, partners.with_env(self.env), strict=True))

    @api.model
    def _ctrl_credit_demo_invoice(self, partner, product, amount, due):
        invoice_date = due - timedelta(days=partner.ctrl_credit_term_days or 0)
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_user_id": partner.user_id.id,
            "invoice_date": invoice_date, "date": invoice_date, "invoice_date_due": due,
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        invoice.action_post()
        return invoice

    @api.model
    def _ctrl_credit_demo_pay(self, invoice, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"payment_date": invoice.invoice_date_due, "amount": amount})._create_payments()

    @api.model
    def _ctrl_credit_demo_order(self, partner, product, amount, salesman):
        return self.env["sale.order"].with_user(salesman).create({
            "partner_id": partner.id, "user_id": salesman.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": amount / 1000.0,
                                           "price_unit": 1000.0, "tax_id": [Command.clear()]})],
        })
