# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_is_zero

from odoo.addons.ctrl_base.models.ctrl_xlsx_report import XLSX_MIMETYPE


class CtrlAgingReport(models.Model):
    """Aging of the receivables as of a date: one line per open receivable
    item, the bucket totals, the check against the receivable accounts and
    the KPIs. Monthly reports are kept as the aging history."""

    _name = "ctrl.aging.report"
    _description = "Receivable Aging Report"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["date", "scheme_id"]

    # Generated, so rendered in the reader's language (not stored in the language it was computed in).
    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("As of", required=True, default=fields.Date.context_today, tracking=True)
    scheme_id = fields.Many2one(
        "ctrl.aging.scheme", "Buckets", required=True, check_company=True, tracking=True,
        default=lambda self: self.env.company._ctrl_recv_scheme("collection"),
        domain="[('company_id', '=', company_id)]")
    kind = fields.Selection(
        [("manual", "On demand"), ("weekly", "Weekly statistics"), ("monthly", "Month-end")],
        required=True, default="manual", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Computed")], default="draft", required=True,
                             tracking=True)
    line_ids = fields.One2many("ctrl.aging.report.line", "report_id", string="Open items")
    kpi_ids = fields.One2many("ctrl.aging.report.kpi", "report_id", string="KPIs")
    # 001/AR02.6, AR16.8: commercial acceptance bills in hand, by maturity; apart from the receivable items.
    bill_line_ids = fields.One2many("ctrl.aging.report.bill", "report_id", string="Bills in hand")
    bill_total = fields.Monetary("Total of bills in hand", readonly=True,
                                 help="Commercial acceptance bills held at the as-of date, not in the aging total: "
                                 "the invoices they paid are settled.")
    bill_summary = fields.Json(readonly=True)
    bill_summary_html = fields.Html("Bills by maturity", compute="_compute_bucket_summary_html", sanitize=False)
    line_count = fields.Integer(readonly=True)
    total_open = fields.Monetary("Aging total", readonly=True)
    account_balance = fields.Monetary(
        "Receivable accounts balance", readonly=True,
        help="Balance at the as-of date of the accounts of type Receivable (posted entries).")
    difference = fields.Monetary(readonly=True)
    reconciled = fields.Boolean(
        "Reconciles", readonly=True, help="The aging total equals the balance of the receivable accounts.")
    bucket_summary = fields.Json(readonly=True)
    bucket_summary_html = fields.Html("Bucket totals", compute="_compute_bucket_summary_html", sanitize=False)
    duration = fields.Float("Computed in (s)", readonly=True, digits=(16, 3))
    computed_on = fields.Datetime(readonly=True)

    def init(self):
        # One scheduled (weekly or monthly) report per company, date and scheme: crons stay idempotent.
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS ctrl_aging_report_scheduled_uniq
                               ON ctrl_aging_report (company_id, date, kind, scheme_id) WHERE kind <> 'manual'""")

    @api.depends("date", "kind")
    @api.depends_context("lang")
    def _compute_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for report in self:
            report.name = self.env._("Aging %(date)s (%(kind)s)", date=report.date or "",
                                     kind=kinds.get(report.kind, ""))

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    @api.depends("bucket_summary", "bill_summary")
    @api.depends_context("lang")
    def _compute_bucket_summary_html(self):
        # Rendered on read: headers and bucket names in the reader's language.
        row_html = Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                          "<td class='text-end'>%s</td></tr>")
        for report in self:
            report.bill_summary_html = report._summary_table(report.bill_summary, row_html)
            rows = report.bucket_summary or []
            if not rows:
                report.bucket_summary_html = False
                continue
            names = self.env["ctrl.aging.bucket"]._summary_names(rows)
            body = Markup().join(row_html % (
                names[row["bucket_id"]], row["count"], report.currency_id.format(row["amount"]),
                self._format_share(row.get("share"))) for row in rows)
            report.bucket_summary_html = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Bucket"), self.env._("Items"), self.env._("Open amount"), self.env._("Share"), body)

    def _summary_table(self, rows, row_html):
        if not rows:
            return False
        names = self.env["ctrl.aging.bucket"]._summary_names(rows)
        body = Markup().join(row_html % (
            names[row["bucket_id"]], row["count"], self.currency_id.format(row["amount"]),
            self._format_share(row.get("share"))) for row in rows)
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Maturity"), self.env._("Bills"), self.env._("Amount"), self.env._("Share"), body)

    @api.model
    def _format_share(self, share):
        # "n/a" where the total is not positive: the credits match or exceed the debts.
        return self.env._("n/a") if share is None else f"{share:.1f}%"

    # Computation -----------------------------------------------------------
    def action_compute(self):
        for report in self:
            report._compute_aging()
        return True

    def _compute_aging(self):
        self.ensure_one()
        started = time.perf_counter()
        engine = self.env["ctrl.aging.engine"]
        engine._flush()
        company = self.company_id
        self.env.cr.execute(SQL("DELETE FROM ctrl_aging_report_line WHERE report_id = %s", self.id))
        self.env.cr.execute(SQL(
            """
            INSERT INTO ctrl_aging_report_line (
                report_id, company_id, move_line_id, move_id, partner_id, user_id, team_id, account_id,
                currency_id, date, date_maturity, invoice_date, days_due, bucket_id, ar_class,
                amount, amount_currency)
            SELECT %(report)s, items.company_id, items.line_id, items.move_id, items.partner_id, items.user_id,
                   items.team_id, items.account_id, items.currency_id, items.date, items.date_maturity,
                   items.invoice_date, items.days_due, items.bucket_id,
                   CASE WHEN items.days_due < %(overdue)s THEN 'normal'
                        WHEN items.days_due <= %(sluggish)s THEN 'overdue'
                        WHEN items.days_due <= %(bad)s THEN 'sluggish'
                        ELSE 'bad' END,
                   items.amount, items.amount_currency
              FROM (%(items)s) items
             WHERE %(open)s
            """,
            report=self.id, overdue=company.ctrl_recv_class_overdue_days,
            sluggish=company.ctrl_recv_class_sluggish_days, bad=company.ctrl_recv_class_bad_days,
            items=engine._open_items_sql(self.date, company, self.scheme_id, with_move=True), open=self._OPEN_ITEM,
        ))
        self.env["ctrl.aging.report.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        bill_total, bill_summary = self._compute_bills()
        totals = self._open_totals()
        self.write({"state": "done", "computed_on": fields.Datetime.now(), "bill_total": bill_total,
                    "bill_summary": bill_summary, **self._summary_values(totals)})
        self._compute_kpis(totals)
        self.duration = time.perf_counter() - started

    # An item is a line of the report when something of it is still open (the stored lines keep those only).
    _OPEN_ITEM = SQL("items.amount <> 0 OR items.amount_currency <> 0")

    def _open_totals(self):
        """The report's open items summed per salesperson and bucket: a list
        of (user_id, bucket_id, count, amount, not_due), ``not_due`` being the
        part of the debit items not due at the date. Summed from its stored
        lines, or for a preview (a record not saved, see
        ``ctrl_aging_preview``) from the ledger in one grouped pass of the
        aging engine, which sums the same items without listing them."""
        self.ensure_one()
        if isinstance(self.id, int):
            self.env.cr.execute(SQL(
                """SELECT user_id, bucket_id, COUNT(*), COALESCE(SUM(amount), 0.0),
                          COALESCE(SUM(amount) FILTER (WHERE amount > 0 AND days_due <= 0), 0.0)
                     FROM ctrl_aging_report_line WHERE report_id = %s GROUP BY user_id, bucket_id""", self.id))
            return self.env.cr.fetchall()
        # A debit line's open amount is never negative, a credit line's never
        # positive, and so is each part the engine sums: the positive parts
        # are the debit items'. Not due: due on or after the date (days_due 0).
        not_due = SQL("items.amount > 0 AND COALESCE(items.date_maturity, items.date) >= %s", self.date)
        rows = self.env["ctrl.aging.engine"]._aggregate(
            self.date, self.company_id, self.scheme_id, groupby=("user_id", ("not_due", not_due)), exact=True)
        totals = {}
        for user_id, is_not_due, bucket_id, amount, count in rows:
            count_sum, amount_sum, not_due_sum = totals.get((user_id, bucket_id), (0, 0.0, 0.0))
            totals[user_id, bucket_id] = (count_sum + count, amount_sum + amount,
                                          not_due_sum + (amount if is_not_due else 0.0))
        return [(user_id, bucket_id, *sums) for (user_id, bucket_id), sums in totals.items()]

    def _summary_values(self, totals):
        """The report's totals from its ``_open_totals``: item count, aging
        total, the receivable accounts' balance, the difference and the
        bucket totals."""
        self.ensure_one()
        engine = self.env["ctrl.aging.engine"]
        per_bucket = {}
        for _user, bucket_id, count, amount, _not_due in totals:
            bucket_count, bucket_amount = per_bucket.get(bucket_id, (0, 0.0))
            per_bucket[bucket_id] = (bucket_count + count, bucket_amount + amount)
        total = self.currency_id.round(sum(amount for _count, amount in per_bucket.values()))
        balance = self.currency_id.round(engine._account_balance(self.date, self.company_id))
        summary = []
        for bucket in self.scheme_id._ordered_buckets():
            count, amount = per_bucket.get(bucket.id, (0, 0.0))
            amount = self.currency_id.round(amount)
            # The bucket's share in the aging total; none when the customers' credits match or exceed the
            # debts (a share of a zero or negative total means nothing).
            share = 100.0 * amount / total if self.currency_id.compare_amounts(total, 0.0) > 0 else None
            summary.append({"bucket_id": bucket.id, "name": bucket.name, "count": count, "amount": amount,
                            "share": share})
        return {
            "line_count": sum(count for count, _amount in per_bucket.values()),
            "total_open": total,
            "account_balance": balance,
            "difference": self.currency_id.round(total - balance),
            "reconciled": float_is_zero(total - balance, precision_rounding=self.currency_id.rounding),
            "bucket_summary": summary,
        }

    @api.model
    @api.readonly
    def ctrl_aging_preview(self, date, company_id=False, scheme_id=False):
        """The aging as of ``date`` without storing it: the totals a computed
        report would show and its KPIs, read only (a read-only cursor, on the
        database replica when Odoo has one). For the users who may compute a
        report, of their own companies."""
        self.check_access("create")
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if company not in self.env.user.company_ids:
            raise AccessError(_("You may preview the aging of your own companies only."))
        scheme = (self.env["ctrl.aging.scheme"].browse(scheme_id) if scheme_id
                  else company._ctrl_recv_scheme("collection"))
        if scheme.company_id != company:
            raise UserError(_("Choose buckets of the company %(company)s for its aging (Buckets).",
                              company=company.name))
        try:
            as_of = fields.Date.to_date(date)
        except (TypeError, ValueError):  # not a date: a client's input, answered like a missing one
            as_of = None
        if not as_of:
            raise UserError(_("Give the date of the aging (As of)."))
        report = self.new({"company_id": company.id, "scheme_id": scheme.id, "date": as_of})
        totals = report._open_totals()
        values = report._summary_values(totals)
        kpis = [{key: value for key, value in row.items() if key != "report_id"}
                for row in report._kpi_values(totals)]
        return {"date": fields.Date.to_string(report.date), "company_id": company.id, "scheme_id": scheme.id,
                **values, "kpis": kpis}

    def _compute_bills(self):
        """The bills in hand at the report's date, by maturity (one INSERT ... SELECT):
        (total, summary rows per bucket)."""
        self.ensure_one()
        engine = self.env["ctrl.aging.engine"]
        self.env.cr.execute(SQL("DELETE FROM ctrl_aging_report_bill WHERE report_id = %s", self.id))
        self.env.cr.execute(SQL(
            """INSERT INTO ctrl_aging_report_bill (report_id, company_id, bill_id, partner_id, currency_id,
                                                  maturity_date, days_due, bucket_id, amount, amount_currency)
               SELECT %(report)s, items.company_id, items.bill_id, items.partner_id, items.currency_id,
                      items.maturity_date, items.days_due, items.bucket_id, items.amount, items.amount_currency
                 FROM (%(items)s) items""",
            report=self.id, items=engine._bills_in_hand_sql(self.date, self.company_id, self.scheme_id)))
        self.env["ctrl.aging.report.bill"].invalidate_model()
        self.invalidate_recordset(["bill_line_ids"])
        self.env.cr.execute(SQL(
            """SELECT bucket_id, COUNT(*), COALESCE(SUM(amount), 0.0)
                 FROM ctrl_aging_report_bill WHERE report_id = %s GROUP BY bucket_id""", self.id))
        per_bucket = {bucket_id: (count, amount) for bucket_id, count, amount in self.env.cr.fetchall()}
        total = self.currency_id.round(sum(amount for _count, amount in per_bucket.values()))
        summary = []
        for bucket in self.scheme_id._ordered_buckets():
            if bucket.id not in per_bucket:
                continue
            count, amount = per_bucket[bucket.id]
            amount = self.currency_id.round(amount)
            share = 100.0 * amount / total if self.currency_id.compare_amounts(total, 0.0) > 0 else None
            summary.append({"bucket_id": bucket.id, "name": bucket.name, "count": count, "amount": amount,
                            "share": share})
        return total, summary

    def _compute_kpis(self, totals):
        self.ensure_one()
        # KPIs are derived figures: users read them, only this computation writes them.
        self.kpi_ids.sudo().unlink()
        self.env["ctrl.aging.report.kpi"].sudo().create(self._kpi_values(totals))

    def _kpi_values(self, totals):
        """DSO, overdue ratio and bad-debt rate, per salesperson and in total
        (user_id False, is_total True), from the report's ``_open_totals``."""
        self.ensure_one()
        company = self.company_id
        engine = self.env["ctrl.aging.engine"]
        accounts = engine._receivable_accounts(company)
        date = self.date
        dso_days = company.ctrl_recv_dso_days
        dso_from = date - timedelta(days=dso_days)
        year_from = date - relativedelta(years=1)
        # Overdue is a part of the open amount: the open amount (credits included) less the debits not
        # due yet, i.e. the unapplied credits go to the overdue items first; never below zero.
        per_user = {}
        for user, _bucket, _count, amount, user_not_due in totals:
            total, not_due_amount = per_user.get(user, (0.0, 0.0))
            per_user[user] = (total + amount, not_due_amount + user_not_due)
        opens = {user: (total, self._overdue_part(total, not_due)) for user, (total, not_due) in per_user.items()}
        self.env.cr.execute(SQL(
            """SELECT move.invoice_user_id,
                      SUM(aml.balance) FILTER (WHERE aml.date > %(dso_from)s),
                      SUM(aml.balance)
                 FROM account_move_line aml JOIN account_move move ON move.id = aml.move_id
                WHERE aml.account_id = ANY(%(accounts)s) AND aml.company_id = %(company)s
                  AND aml.parent_state = 'posted'
                  AND move.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                  AND aml.date > %(year_from)s AND aml.date <= %(date)s
                GROUP BY move.invoice_user_id""",
            dso_from=dso_from, year_from=year_from, date=date, accounts=accounts.ids, company=company.id))
        sales = {user: (period or 0.0, year or 0.0) for user, period, year in self.env.cr.fetchall()}
        written_off = self._written_off(accounts, year_from)
        target = company.ctrl_recv_bad_debt_target
        rows = []
        users = set(opens) | set(sales) | set(written_off)

        def kpi(user_id, is_total, open_amount, overdue, period_sales, year_sales, lost):
            # In the currency's rounding, as stored: a preview shows what a computed report keeps.
            open_amount, overdue, period_sales, year_sales, lost = (
                self.currency_id.round(amount) for amount in (open_amount, overdue, period_sales, year_sales, lost))
            rate = 1000.0 * lost / year_sales if year_sales > 0 else 0.0
            return {
                "report_id": self.id, "user_id": user_id, "is_total": is_total,
                "open_amount": open_amount, "overdue_amount": overdue,
                "overdue_ratio": 100.0 * overdue / open_amount if open_amount > 0 else 0.0,
                "sales_amount": period_sales,
                "dso": open_amount / period_sales * dso_days if period_sales > 0 else 0.0,
                "year_sales": year_sales, "written_off": lost, "bad_debt_rate": rate,
                "bad_debt_target": target, "on_target": rate <= target,
            }

        for user in users:
            rows.append(kpi(user or False, False, *opens.get(user, (0.0, 0.0)), *sales.get(user, (0.0, 0.0)),
                            written_off.get(user, 0.0)))
        total_open = sum(total for total, _not_due in per_user.values())
        total_not_due = sum(not_due for _total, not_due in per_user.values())
        rows.append(kpi(False, True, total_open, self._overdue_part(total_open, total_not_due),
                        sum(v[0] for v in sales.values()), sum(v[1] for v in sales.values()),
                        sum(written_off.values())))
        return rows

    def _overdue_part(self, open_amount, not_due):
        """The overdue part of ``open_amount``: what is left once the debits
        not due yet are set aside, between zero and the open amount."""
        currency = self.currency_id
        return currency.round(max(0.0, min(open_amount, open_amount - not_due)))

    def _written_off(self, accounts, date_from):
        """Receivables written off from ``date_from`` (excluded) to the report
        date, per salesperson of the invoice they settled: the receivable
        credits of entries that also charge the allowance or the bad-debt
        expense account (write-offs; provision entries touch no receivable)."""
        company = self.company_id
        charge_accounts = (company.ctrl_recv_allowance_account_id
                           | company.ctrl_recv_provision_expense_account_id).ids
        if not charge_accounts:
            return {}
        self.env.cr.execute(SQL(
            """SELECT COALESCE(inv.invoice_user_id, NULL), SUM(-aml.balance)
                 FROM account_move_line aml
                 LEFT JOIN LATERAL (
                      SELECT debit_move.invoice_user_id
                        FROM account_partial_reconcile part
                        JOIN account_move_line debit_line ON debit_line.id = part.debit_move_id
                        JOIN account_move debit_move ON debit_move.id = debit_line.move_id
                       WHERE part.credit_move_id = aml.id
                       LIMIT 1
                 ) inv ON TRUE
                WHERE aml.account_id = ANY(%(accounts)s) AND aml.company_id = %(company)s
                  AND aml.parent_state = 'posted' AND aml.balance < 0
                  AND aml.date > %(date_from)s AND aml.date <= %(date)s
                  AND EXISTS (SELECT 1 FROM account_move_line charge
                               WHERE charge.move_id = aml.move_id AND charge.account_id = ANY(%(charge)s))
                GROUP BY 1""",
            accounts=accounts.ids, company=company.id, date_from=date_from, date=self.date, charge=charge_accounts))
        return dict(self.env.cr.fetchall())

    def unlink(self):
        # The lines' table has no foreign key to cascade: a report takes its lines with it.
        self.check_access("unlink")
        self.env.cr.execute(SQL("DELETE FROM ctrl_aging_report_line WHERE report_id = ANY(%s)", self.ids))
        self.env["ctrl.aging.report.line"].invalidate_model()
        return super().unlink()

    # Views and exports -----------------------------------------------------
    def _action_lines(self, view_mode):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_receivable.ctrl_aging_report_line_action")
        action.update({
            "domain": [("report_id", "=", self.id)],
            "context": {"search_default_group_partner": 1} if view_mode == "list" else {},
            "view_mode": view_mode,
            "views": [(False, mode) for mode in view_mode.split(",")],
            "name": self.name,
        })
        return action

    @api.readonly
    def action_open_lines(self):
        return self._action_lines("pivot,list,graph")

    @api.readonly
    def action_open_list(self):
        return self._action_lines("list,pivot")

    @api.readonly
    def action_export_xlsx(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(_("Compute the aging report before exporting it."))
        return self.env.ref("ctrl_receivable.report_aging_xlsx").report_action(self)

    def _xlsx_attachment(self, team=None):
        """The aging table as an XLSX attachment of the report (the detail of
        ``team`` only, if given), for the scheduled packs."""
        self.ensure_one()
        content = self.env["ir.actions.report"]._render_xlsx(
            "ctrl_receivable.report_aging_xlsx", self.ids, data={"team_id": team.id} if team else None)[0]
        suffix = f"-{team.name}" if team else ""
        return self.env["ir.attachment"].create({
            "name": f"aging-{self.company_id.name}-{self.date}{suffix}.xlsx",
            "raw": content,
            "mimetype": XLSX_MIMETYPE,
            "res_model": self._name,
            "res_id": self.id,
        })

    # Scheduled reports -----------------------------------------------------
    @api.model
    def _scheduled_report(self, company, date, kind):
        """The scheduled report of ``kind`` for ``company`` at ``date``,
        computed once: running the cron again finds it."""
        scheme = company._ctrl_recv_scheme("collection")
        report = self.search([("company_id", "=", company.id), ("date", "=", date), ("kind", "=", kind),
                              ("scheme_id", "=", scheme.id)], limit=1)
        if report:
            return report, False
        report = self.create({"company_id": company.id, "date": date, "kind": kind, "scheme_id": scheme.id})
        report._compute_aging()
        return report, True

    def _post_pack(self, recipients, subject, body, attachments):
        self.ensure_one()
        if recipients:
            self.message_subscribe(partner_ids=recipients.ids)
        self.with_context(mail_notify_force_send=False).message_post(
            subject=subject, body=body, partner_ids=recipients.ids,
            attachment_ids=attachments.ids, message_type="comment", subtype_xmlid="mail.mt_comment")

    def _finance_director_partners(self):
        company = self.company_id
        users = company.ctrl_recv_finance_director_id or self.env.ref(
            "ctrl_base.group_approver_finance").users.filtered(lambda u: company in u.company_ids)
        return users.partner_id

    @api.model
    def _cron_monthly_pack(self):
        """Month-end aging table for the finance director (consensus 10/8: by
        the 5th) and the month-end AR detail for each sales manager (000/R02-07)."""
        today = fields.Date.context_today(self)
        month_end = today.replace(day=1) - timedelta(days=1)
        companies = self.env["res.company"]._ctrl_live_companies()
        for done, company in enumerate(companies):
            report, created = self._scheduled_report(company, month_end, "monthly")
            if created:
                report._send_monthly_pack()
            self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(companies) - done - 1)
        self._prune_and_notify(len(companies))

    def _send_monthly_pack(self):
        self.ensure_one()
        table = self._xlsx_attachment()
        self._post_pack(
            self._finance_director_partners(), _("Aging table as of %(date)s", date=self.date),
            _("The month-end aging table of %(company)s (due by day %(day)s): total %(total)s, %(check)s.",
              company=self.company_id.name, day=self.company_id.ctrl_recv_aging_due_day,
              total=self.currency_id.format(self.total_open),
              check=_("reconciles with the receivable accounts") if self.reconciled
              else _("differs from the receivable accounts by %s", self.currency_id.format(self.difference))),
            table)
        for (team_id,) in self.env["ctrl.aging.report.line"]._read_group(
                [("report_id", "=", self.id), ("team_id", "!=", False)], ["team_id"]):
            manager = team_id.user_id
            if not manager:
                continue
            detail = self._xlsx_attachment(team_id)
            self._post_pack(manager.partner_id, _("Month-end receivables of %(team)s", team=team_id.name),
                            _("The receivables of %(team)s open at %(date)s.", team=team_id.name, date=self.date),
                            detail)

    @api.model
    def _cron_weekly_statistics(self):
        """Weekly statistics by customer and handler (000/R15-06) for the
        receivable managers."""
        today = fields.Date.context_today(self)
        week_end = today - timedelta(days=today.isoweekday() % 7)  # last Sunday (today if Sunday)
        managers = self.env.ref("ctrl_receivable.group_receivable_manager").users
        companies = self.env["res.company"]._ctrl_live_companies()
        for done, company in enumerate(companies):
            report, created = self._scheduled_report(company, week_end, "weekly")
            if created:
                report._post_pack(
                    managers.filtered(lambda u, c=company: c in u.company_ids).partner_id,
                    _("Weekly receivable statistics %(date)s", date=week_end),
                    _("Open receivables by customer and handler as of %(date)s.", date=week_end),
                    report._xlsx_attachment())
            self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(companies) - done - 1)
        self._prune_and_notify(len(companies))

    # Pruning ---------------------------------------------------------------
    @api.model
    def _prune_and_notify(self, done):
        """One batch of pruning at the end of a scheduled report: while old
        reports remain the cron calls again, committing in between."""
        pruned, remaining = self._prune_scheduled()
        self.env["ir.cron"]._notify_progress(done=done + pruned, remaining=remaining)

    @api.model
    def _old_scheduled_sql(self):
        """SELECT of the weekly and month-end reports older than their
        company keeps them (reports computed on demand are kept)."""
        return SQL(
            """SELECT report.id FROM ctrl_aging_report report
                 JOIN res_company company ON company.id = report.company_id
                WHERE report.kind <> 'manual' AND company.ctrl_recv_aging_keep_months > 0
                  AND report.date < %(today)s::date - make_interval(months => company.ctrl_recv_aging_keep_months)""",
            today=fields.Date.context_today(self))

    @api.model
    def _prune_scheduled(self, report_batch=10, line_batch=100000):
        """Delete one batch of old scheduled reports: their lines by chunks,
        then the reports with their messages and files. Reports another
        worker is pruning are skipped. Returns (records deleted, old reports
        left)."""
        cr = self.env.cr
        cr.execute(SQL("%s ORDER BY report.date, report.id LIMIT %s FOR UPDATE OF report SKIP LOCKED",
                       self._old_scheduled_sql(), report_batch))
        reports = self.browse(row[0] for row in cr.fetchall())
        if not reports:
            return 0, 0
        cr.execute(SQL(
            """DELETE FROM ctrl_aging_report_line WHERE id IN (
                   SELECT id FROM ctrl_aging_report_line WHERE report_id = ANY(%s) LIMIT %s)""",
            reports.ids, line_batch))
        deleted = cr.rowcount
        self.env["ctrl.aging.report.line"].invalidate_model()
        if deleted < line_batch:
            reports.unlink()
            deleted += len(reports)
        cr.execute(SQL("SELECT count(*) FROM (%s) old", self._old_scheduled_sql()))
        return deleted, cr.fetchone()[0]
