# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from odoo.addons.ctrl_base.models.ctrl_lifecycle_mixin import fingerprint

# What the computation writes: set only by the server (action_compute, _prepare).
COMPUTED_FIELDS = ("line_count", "base_amount", "required_amount", "allowance_balance", "adjustment_amount",
                   "bucket_summary", "expected_loss", "computed_on", "duration")
# What the computation reads: a client changing one of them in draft clears the figures.
INPUT_FIELDS = ("company_id", "date", "scheme_id", "allowance_account_id")
# Breakdown columns, fingerprinted in SQL (no Python loop over the rows).
LINE_COLUMNS = ("partner_id", "bucket_id", "excluded", "specific_id", "item_count", "base_amount", "rate",
                "required_amount")


class CtrlProvisionRun(models.Model):
    """Bad-debt provision for a period end (坏账准备, allowance method, 001/AR02.34-37).

    The run computes the required allowance per customer and provisioning
    bucket, compares it with the allowance account's balance and posts one
    entry for the difference, up (expense) or down (release). Posting is an
    approval by someone other than the preparer (003/D7). Cancelling
    reverses the entry; nothing posted is deleted.

    Guarded by ``ctrl.lifecycle.mixin``: the figures, the state and the
    entries are set only by the server; what is posted is locked once
    submitted and bound to the approval by its fingerprint.
    """

    _name = "ctrl.provision.run"
    _description = "Bad-debt Provision Run"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date("Period end", required=True, readonly=True, tracking=True)
    period = fields.Char(compute="_compute_period", store=True, index=True)
    scheme_id = fields.Many2one("ctrl.aging.scheme", "Provisioning scheme", required=True, readonly=True,
                                check_company=True)
    journal_id = fields.Many2one("account.journal", "Journal", check_company=True, tracking=True,
                                 domain="[('type', '=', 'general'), ('company_id', '=', company_id)]")
    expense_account_id = fields.Many2one("account.account", "Bad-debt expense account", tracking=True,
                                         check_company=True)
    allowance_account_id = fields.Many2one("account.account", "Allowance account", tracking=True,
                                           check_company=True)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, index=True, copy=False)
    line_ids = fields.One2many("ctrl.provision.run.line", "run_id", string="Breakdown", readonly=True)
    line_count = fields.Integer(readonly=True)
    base_amount = fields.Monetary("Open receivables", readonly=True)
    required_amount = fields.Monetary("Required allowance", readonly=True, tracking=True)
    allowance_balance = fields.Monetary("Allowance balance", readonly=True,
                                        help="Credit balance of the allowance account at the period end.")
    adjustment_amount = fields.Monetary("Adjustment", readonly=True, tracking=True,
                                        help="Required allowance minus the balance: positive charges the "
                                        "expense, negative releases the allowance.")
    bucket_summary = fields.Json(readonly=True)
    bucket_summary_html = fields.Html("Per bucket", compute="_compute_bucket_summary_html", sanitize=False)
    expected_loss = fields.Json(readonly=True, help="Rates from the company's history, computed with the run.")
    expected_loss_html = fields.Html("Expected-loss rates", compute="_compute_expected_loss_html",
                                     sanitize=False)
    move_id = fields.Many2one("account.move", "Adjustment entry", readonly=True, copy=False, check_company=True)
    reversal_move_id = fields.Many2one("account.move", "Reversal entry", readonly=True, copy=False,
                                       check_company=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    computed_on = fields.Datetime(readonly=True)
    duration = fields.Float("Computed in (s)", readonly=True, digits=(16, 3))

    _ctrl_sequence_code = "ctrl.provision.run"
    _ctrl_approval_kind = "post"
    _ctrl_submitted_state = "to_approve"
    _ctrl_approved_state = "posted"
    _ctrl_protected_fields = ("move_id", "reversal_move_id", "approved_by_id", "line_ids", *COMPUTED_FIELDS)
    _ctrl_content_fields = ("company_id", "date", "scheme_id", "journal_id", "expense_account_id",
                            "allowance_account_id", "line_ids", "base_amount", "required_amount",
                            "allowance_balance", "adjustment_amount")

    def init(self):
        # The breakdown's former customer index: rows are read by
        # run, and the index cost a tenth of a provision run to write.
        self.env.cr.execute("DROP INDEX IF EXISTS ctrl_provision_run_line__partner_id_index")
        # At most one posted run per company and period, and one in preparation.
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS ctrl_provision_run_posted_uniq
                               ON ctrl_provision_run (company_id, period) WHERE state = 'posted'""")
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS ctrl_provision_run_open_uniq
                               ON ctrl_provision_run (company_id, period) WHERE state IN ('draft', 'to_approve')""")

    @api.depends("date")
    def _compute_period(self):
        for run in self:
            run.period = run.date.strftime("%Y-%m") if run.date else False

    @api.depends("bucket_summary")
    @api.depends_context("lang")
    def _compute_bucket_summary_html(self):
        # Rendered on read, in the reader's language. Bucket names are typed by managers: every value is
        # escaped (Markup %).
        row_html = Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                          "<td class='text-end'>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td></tr>")
        for run in self:
            rows = run.bucket_summary or []
            fmt = run.currency_id.format
            names = self.env["ctrl.aging.bucket"]._summary_names(rows)
            body = Markup().join(row_html % (
                names[row.get("bucket_id")], fmt(row.get("provided_base", row["base"])),
                f"{row.get('applied_rate', row['rate']):.2f}%", fmt(row["required"]),
                fmt(-row.get("credits", 0.0)), f"{row['rate']:g}%") for row in rows)
            run.bucket_summary_html = rows and Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Bucket"), self.env._("Base provided for"), self.env._("Applied rate"),
                 self.env._("Required"), self.env._("Credit balances (not provided for)"),
                 self.env._("Scheme rate"), body)

    @api.depends("expected_loss")
    @api.depends_context("lang")
    def _compute_expected_loss_html(self):
        row_html = Markup("<tr><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                          "<td class='text-end'>%s</td></tr>")

        def percent(value):
            return "" if value is None else f"{value:.1f}%"

        for run in self:
            rows = run.expected_loss
            if not rows:
                run.expected_loss_html = False
                continue
            names = self.env["ctrl.aging.bucket"]._summary_names(rows)
            body = Markup().join(row_html % (names[row.get("bucket_id")], f"{row['rate']:g}%",
                                             percent(row["roll"]), percent(row["loss"])) for row in rows)
            run.expected_loss_html = Markup(
                "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (self.env._("Bucket"), self.env._("Configured rate"), self.env._("Roll rate to next bucket"),
                 self.env._("Expected-loss rate"), body)

    # Preparation -------------------------------------------------------------
    @api.model
    def _prepare(self, company, date):
        """The draft run of ``company`` for the period of ``date``, computed.
        Preparing again recomputes the draft; a posted period refuses."""
        date = fields.Date.to_date(date)
        period = date.strftime("%Y-%m")
        runs = self.search([("company_id", "=", company.id), ("period", "=", period),
                            ("state", "in", ("draft", "to_approve", "posted"))])
        posted = runs.filtered(lambda r: r.state == "posted")
        if posted:
            raise UserError(_("The bad-debt provision of %(period)s is posted (%(run)s). Cancel that run to "
                              "prepare the period again.", period=period, run=posted[0].name))
        run = runs[:1]
        if run:
            if run.state == "to_approve":
                run._cancel_pending_requests()
            run._ctrl_set_state("draft", date=date)
            run._message_log(body=_("Prepared again for %(date)s.", date=format_date(self.env, date)))
        else:
            run = self.create({
                "company_id": company.id, "date": date,
                "scheme_id": company._ctrl_recv_scheme("provision").id,
                "journal_id": company.ctrl_recv_provision_journal_id.id,
                "expense_account_id": company.ctrl_recv_provision_expense_account_id.id,
                "allowance_account_id": company.ctrl_recv_allowance_account_id.id,
            })
        run._compute_lines()
        return run

    def write(self, vals):
        result = super().write(vals)
        if not self.env.su and set(INPUT_FIELDS) & set(vals):
            # The figures were computed on other inputs: they must be computed again.
            self._ctrl_clear_figures()
        return result

    def _ctrl_clear_figures(self):
        self.env.cr.execute(SQL("DELETE FROM ctrl_provision_run_line WHERE run_id = ANY(%s)", self.ids))
        self.env["ctrl.provision.run.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        self._ctrl_write_protected({"line_count": 0, "base_amount": 0.0, "required_amount": 0.0,
                                    "allowance_balance": 0.0, "adjustment_amount": 0.0, "bucket_summary": False,
                                    "expected_loss": False, "computed_on": False, "duration": 0.0})

    def action_compute(self):
        self._check_manager()
        for run in self:
            if run.state != "draft":
                raise UserError(_("Only a draft provision run can be computed again."))
            run._compute_lines()
        return True

    # Computation ------------------------------------------------------------
    @api.model
    def _scheme_rate(self, company, bucket, excluded):
        """Scheme rate of ``bucket``, capped for items excluded from full provision."""
        rate = bucket.rate
        return min(rate, company.ctrl_recv_excluded_rate_cap) if excluded else rate

    @api.model
    def _excluded_sql(self, company, date):
        """SQL condition on ``items``: the item is not provided in full
        (001/AR02.33) unless a specific provision says so."""
        conditions = []
        if company.ctrl_recv_exclude_related:
            # Related parties and the group's companies, as a list: no join
            # per item, and the plan stays parallel.
            Partner = self.env["res.partner"].sudo().with_context(active_test=False)
            related = Partner.search([("ctrl_recv_related_party", "=", True)])
            related |= self.env["res.company"].sudo().with_context(active_test=False).search([]).partner_id
            conditions.append(SQL("items.partner_id = ANY(%s)", related.ids))
        if company.ctrl_recv_exclude_current_year:
            year_start = company.compute_fiscalyear_dates(date)["date_from"]
            conditions.append(SQL("COALESCE(items.invoice_date, items.date) >= %s", year_start))
        if company.ctrl_recv_exclude_unmatured:
            conditions.append(SQL("COALESCE(items.date_maturity, items.date) > %s", date))
        return SQL("(%s)", SQL(" OR ").join(conditions)) if conditions else SQL("FALSE")

    @api.model
    def _provision_items(self, company, date, partner=None, move=None):
        """[(bucket, excluded, open amount)] of a customer's or an invoice's open items."""
        engine = self.env["ctrl.aging.engine"]
        engine._flush()
        scheme = company._ctrl_recv_scheme("provision")
        filters = [SQL("TRUE")]
        if partner:
            filters.append(SQL("items.partner_id = %s", partner.id))
        if move:
            filters.append(SQL("items.move_id = %s", move.id))
        self.env.cr.execute(SQL(
            """SELECT items.bucket_id, %(excluded)s, SUM(items.amount)
                 FROM (%(items)s) items WHERE %(filters)s GROUP BY 1, 2""",
            excluded=self._excluded_sql(company, date), items=engine._open_items_sql(date, company, scheme),
            filters=SQL(" AND ").join(filters)))
        Bucket = self.env["ctrl.aging.bucket"]
        return [(Bucket.browse(bucket_id), excluded, amount) for bucket_id, excluded, amount in self.env.cr.fetchall()]

    @api.model
    def _grouped_sql(self, company, date, scheme):
        """SELECT of the open items at ``date`` summed per customer, bucket,
        exclusion and specific provision: partner_id, bucket_id, excluded,
        specific_id, base, item_count."""
        engine = self.env["ctrl.aging.engine"]
        specific_moves = self.env["ctrl.provision.specific"].sudo().search([
            ("state", "=", "active"), ("company_id", "=", company.id), ("date", "<=", date), ("move_id", "!=", False),
        ]).move_id
        # Summed per customer, bucket, exclusion and invoice with a specific
        # provision first (in parallel, no join per item), then matched to
        # the specific provisions.
        return SQL(
            """
            WITH specific AS NOT MATERIALIZED (
                SELECT id, partner_id, move_id FROM ctrl_provision_specific
                 WHERE state = 'active' AND company_id = %(company)s AND date <= %(date)s
            ), summed AS (%(summed)s
            ), classified AS (
                SELECT summed.*, COALESCE(by_move.id, by_partner.id) AS specific_id
                  FROM summed
                  LEFT JOIN specific by_move ON by_move.move_id = summed.move_id
                  LEFT JOIN specific by_partner ON by_partner.partner_id = summed.partner_id
                                               AND by_partner.move_id IS NULL
            )
            SELECT partner_id, bucket_id, excluded, specific_id, SUM(amount) AS base, SUM(item_count) AS item_count
              FROM classified GROUP BY partner_id, bucket_id, excluded, specific_id
            HAVING SUM(item_count) <> 0 OR SUM(amount) <> 0
            """,
            company=company.id, date=date,
            summed=engine._grouped_amounts_sql(date, company, scheme, [
                ("partner_id", SQL("items.partner_id")),
                ("excluded", self._excluded_sql(company, date)),
                ("move_id", SQL("CASE WHEN items.move_id = ANY(%s) THEN items.move_id END", specific_moves.ids)),
            ]),
        )

    @api.model
    def _rows_sql(self, grouped, company, digits):
        """The breakdown rows from ``grouped`` (a table or subquery of
        ``_grouped_sql``'s columns): its columns, the rate and the required
        amount, before the specific provisions by amount are spread."""
        return SQL(
            """
            SELECT grouped.partner_id, grouped.bucket_id, grouped.excluded, grouped.specific_id,
                   grouped.item_count, grouped.base, rates.rate,
                   ROUND(GREATEST(grouped.base, 0) * rates.rate / 100.0, %(digits)s) AS required
              FROM %(grouped)s grouped
              JOIN ctrl_aging_bucket bucket ON bucket.id = grouped.bucket_id
              LEFT JOIN ctrl_provision_specific specific ON specific.id = grouped.specific_id
             CROSS JOIN LATERAL (
                -- A credit balance (unapplied credit notes or payments) is owed to the customer: nothing
                -- to provide for, so its rate is 0 and base x rate = required on every row.
                SELECT CASE WHEN grouped.base <= 0 THEN 0.0
                            WHEN specific.method = 'rate' THEN specific.rate
                            WHEN specific.method = 'amount' THEN 0.0
                            WHEN grouped.excluded THEN LEAST(bucket.rate, %(cap)s)
                            ELSE bucket.rate END AS rate
             ) rates
            """,
            grouped=grouped, digits=digits, cap=company.ctrl_recv_excluded_rate_cap)

    def _insert_lines(self, company, date, scheme, digits):
        """Write the breakdown rows from the open items (grouped in SQL);
        returns the number of rows."""
        cr = self.env.cr
        # Grouped first into a temporary table: PostgreSQL runs CREATE TABLE AS
        # in parallel, the SELECT of an INSERT not.
        cr.execute("DROP TABLE IF EXISTS ctrl_provision_grouped")
        cr.execute(SQL("CREATE TEMPORARY TABLE ctrl_provision_grouped ON COMMIT DROP AS %s",
                       self._grouped_sql(company, date, scheme)))
        cr.execute(SQL(
            """
            INSERT INTO ctrl_provision_run_line (
                run_id, partner_id, bucket_id, excluded, specific_id, item_count, base_amount, rate, required_amount)
            SELECT %(run)s, partner_id, bucket_id, excluded, specific_id, item_count, base, rate, required
              FROM (%(rows)s) rows
            """,
            run=self.id, rows=self._rows_sql(SQL.identifier("ctrl_provision_grouped"), company, digits)))
        count = cr.rowcount
        cr.execute("DROP TABLE ctrl_provision_grouped")
        return count

    def _compute_lines(self):
        """Breakdown per customer, bucket, exclusion and specific provision,
        grouped in SQL over the open items."""
        self.ensure_one()
        started = time.perf_counter()
        engine = self.env["ctrl.aging.engine"]
        engine._flush()
        self.env["ctrl.provision.specific"].flush_model()
        self.env["ctrl.aging.bucket"].flush_model(["rate"])
        self.env["res.partner"].flush_model(["ctrl_recv_related_party"])
        company, date, scheme = self.company_id, self.date, self.scheme_id
        digits = self.currency_id.decimal_places
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM ctrl_provision_run_line WHERE run_id = %s", self.id))
        with engine._report_settings():
            line_count = self._insert_lines(company, date, scheme, digits)
        # Specific provisions by amount: the amount (at most what is open), spread over their lines.
        cr.execute(SQL(
            """
            WITH totals AS (
                SELECT line.specific_id, SUM(GREATEST(line.base_amount, 0)) AS base
                  FROM ctrl_provision_run_line line
                  JOIN ctrl_provision_specific specific ON specific.id = line.specific_id
                 WHERE line.run_id = %(run)s AND specific.method = 'amount'
                 GROUP BY line.specific_id
            )
            UPDATE ctrl_provision_run_line line
               SET required_amount = ROUND(GREATEST(line.base_amount, 0) * LEAST(specific.amount, totals.base)
                                           / totals.base, %(digits)s),
                   rate = CASE WHEN line.base_amount > 0
                               THEN 100.0 * LEAST(specific.amount, totals.base) / totals.base ELSE 0.0 END
              FROM totals JOIN ctrl_provision_specific specific ON specific.id = totals.specific_id
             WHERE line.run_id = %(run)s AND line.specific_id = totals.specific_id AND totals.base > 0
            """, run=self.id, digits=digits))
        self.env["ctrl.provision.run.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        cr.execute(SQL(
            """SELECT bucket_id, SUM(base_amount), SUM(required_amount),
                      COALESCE(SUM(base_amount) FILTER (WHERE base_amount > 0), 0),
                      COALESCE(SUM(base_amount) FILTER (WHERE base_amount < 0), 0)
                 FROM ctrl_provision_run_line WHERE run_id = %s GROUP BY bucket_id""", self.id))
        per_bucket = {row[0]: row[1:] for row in cr.fetchall()}
        self._ctrl_write_protected({
            **self._summary_values(per_bucket, line_count),
            "computed_on": fields.Datetime.now(),
            "duration": time.perf_counter() - started,
        })

    def _summary_values(self, per_bucket, line_count):
        """The run's totals and bucket summary from ``per_bucket``: {bucket id:
        (base, required, provided base, credits)}."""
        self.ensure_one()
        company, date, scheme = self.company_id, self.date, self.scheme_id
        summary = []
        for bucket in scheme._ordered_buckets():
            base, required, provided, credits = per_bucket.get(bucket.id, (0.0, 0.0, 0.0, 0.0))
            # The applied rate is what the provided base is charged at (capped and specific rows included),
            # so the row reads base x rate = required; credit balances are shown apart, not provided for.
            summary.append({"bucket_id": bucket.id, "name": bucket.name, "rate": bucket.rate,
                            "base": base, "required": required, "provided_base": provided,
                            "credits": credits, "applied_rate": 100.0 * required / provided if provided else 0.0})
        required = self.currency_id.round(sum(row["required"] for row in summary))
        balance = self.currency_id.round(self._allowance_balance())
        return {
            "line_count": line_count,
            "base_amount": self.currency_id.round(sum(row["base"] for row in summary)),
            "required_amount": required,
            "allowance_balance": balance,
            "adjustment_amount": self.currency_id.round(required - balance),
            "bucket_summary": summary,
            "expected_loss": company.ctrl_recv_expected_loss
            and self.env["ctrl.expected.loss"]._matrix(company, scheme, date),
        }

    @api.model
    @api.readonly
    def ctrl_provision_preview(self, date, company_id=False):
        """What the provision run of ``date`` would compute, without storing
        it: the totals and bucket summary, read only (a read-only cursor, on
        the database replica when Odoo has one). For Receivables managers, of
        their own companies. The same SQL as the computation, the specific
        provisions by amount spread in the query instead of on stored rows."""
        self._check_manager()
        company = self.env["res.company"].browse(company_id) if company_id else self.env.company
        if company not in self.env.user.company_ids:
            raise AccessError(_("You may preview the provision of your own companies only."))
        if not date:
            raise UserError(_("Give the period end of the provision (Period end)."))
        date = fields.Date.to_date(date)
        run = self.new({
            "company_id": company.id, "date": date, "scheme_id": company._ctrl_recv_scheme("provision").id,
            "allowance_account_id": company.ctrl_recv_allowance_account_id.id,
        })
        engine = self.env["ctrl.aging.engine"]
        engine._flush()
        self.env["ctrl.provision.specific"].flush_model()
        self.env["ctrl.aging.bucket"].flush_model(["rate"])
        self.env["res.partner"].flush_model(["ctrl_recv_related_party"])
        digits = run.currency_id.decimal_places
        with engine._report_settings():
            self.env.cr.execute(SQL(
                """
                WITH rows AS (%(rows)s), spread AS (
                    SELECT rows.*, specific.method, specific.amount AS specific_amount,
                           SUM(GREATEST(rows.base, 0)) OVER (PARTITION BY rows.specific_id) AS specific_base
                      FROM rows LEFT JOIN ctrl_provision_specific specific ON specific.id = rows.specific_id
                )
                SELECT bucket_id, SUM(base),
                       SUM(CASE WHEN method = 'amount' AND specific_base > 0
                                THEN ROUND(GREATEST(base, 0) * LEAST(specific_amount, specific_base) / specific_base,
                                           %(digits)s)
                                ELSE required END),
                       COALESCE(SUM(base) FILTER (WHERE base > 0), 0),
                       COALESCE(SUM(base) FILTER (WHERE base < 0), 0),
                       COUNT(*)
                  FROM spread GROUP BY bucket_id
                """,
                rows=self._rows_sql(SQL("(%s)", self._grouped_sql(company, date, run.scheme_id)), company, digits),
                digits=digits))
            fetched = self.env.cr.fetchall()
        per_bucket = {row[0]: row[1:5] for row in fetched}
        values = run._summary_values(per_bucket, sum(row[5] for row in fetched))
        return {"date": fields.Date.to_string(date), "company_id": company.id, **values}

    def _allowance_balance(self):
        """Credit balance of the allowance account at the period end (0 when not set)."""
        self.ensure_one()
        if not self.allowance_account_id:
            return 0.0
        self.env["account.move.line"].flush_model(["account_id", "company_id", "parent_state", "date", "balance"])
        self.env.cr.execute(SQL(
            """SELECT COALESCE(SUM(-balance), 0.0) FROM account_move_line
                WHERE account_id = %s AND company_id = %s AND parent_state = 'posted' AND date <= %s""",
            self.allowance_account_id.id, self.company_id.id, self.date))
        return self.env.cr.fetchone()[0]

    # Checks -------------------------------------------------------------------
    def _check_postable(self):
        self.ensure_one()
        missing = [self._fields[name].string for name in ("journal_id", "expense_account_id", "allowance_account_id")
                   if not self[name]]
        if missing:
            raise ValidationError(_(
                "Provision run %(run)s: set %(fields)s (Settings > Internal Control > Receivables, or on the "
                "run) before posting.", run=self.name, fields=", ".join(missing)))
        if self.expense_account_id == self.allowance_account_id:
            raise ValidationError(_("Provision run %(run)s: the expense and allowance accounts must differ.",
                                    run=self.name))
        self._check_lock_date(self.date)

    def _check_lock_date(self, date):
        self.ensure_one()
        lock_date = self.company_id._get_user_fiscal_lock_date(self.journal_id)
        if date <= lock_date:
            raise ValidationError(_(
                "Provision run %(run)s: %(date)s is in a locked period (lock date %(lock)s). Choose a period "
                "end after the lock date, or ask the accounting manager to move the lock date.",
                run=self.name, date=format_date(self.env, date), lock=format_date(self.env, lock_date)))

    def _check_manager(self):
        if not self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
            raise AccessError(_("Only Receivables managers can submit, approve or cancel provision runs."))

    # Workflow ---------------------------------------------------------------
    def action_submit(self):
        """Send the run for approval; the approver's decision posts it."""
        self._check_manager()
        for run in self:
            if run.state != "draft":
                raise UserError(_("Only a draft provision run can be submitted."))
            if not run.computed_on:
                raise UserError(_("Provision run %(run)s: its figures are not computed (its period end, scheme or "
                                  "allowance account changed). Click 'Compute again', then submit.", run=run.name))
            run._check_postable()
            run._ctrl_submit(
                amount=abs(run.adjustment_amount),
                reason=_("Bad-debt provision %(period)s: adjustment %(amount)s",
                         period=run.period, amount=run.currency_id.format(run.adjustment_amount)))
        return True

    def _ctrl_approval_amount(self, kind):
        self.ensure_one()
        return abs(self.adjustment_amount)

    def _pending_request(self):
        self.ensure_one()
        return self._ctrl_approval_requests("post", ["pending"])[:1]

    def _ctrl_fingerprint_of(self, names):
        """The mixin's digest, with the breakdown digested in SQL: a run has
        rows by the hundred thousand."""
        self.ensure_one()
        digest = fingerprint(self, [name for name in names if name != "line_ids"])
        if "line_ids" not in names:
            return digest
        self.env["ctrl.provision.run.line"].flush_model()
        row = SQL("concat_ws('|', %s)", SQL(", ").join(SQL.identifier(column) for column in LINE_COLUMNS))
        self.env.cr.execute(SQL(
            """SELECT encode(sha256(convert_to(%s || COALESCE(string_agg(row_text, ',' ORDER BY row_text), ''),
                                               'UTF8')), 'hex')
                 FROM (SELECT %s AS row_text FROM ctrl_provision_run_line WHERE run_id = %s) rows""",
            digest, row, self.id))
        return self.env.cr.fetchone()[0]

    def action_approve(self):
        """Approve the pending posting request. Preparing and approving are
        incompatible duties (003/D7): the preparer or requester cannot approve."""
        for run in self:
            request = run._pending_request()
            if run.state != "to_approve" or not request:
                raise UserError(_("Provision run %(run)s is not waiting for approval.", run=run.name))
            if self.env.user in (run.create_uid | request.requested_by_id | request.prepared_by_id):
                raise ValidationError(_(
                    "Provision run %(run)s: you prepared or submitted it, so you cannot approve its posting "
                    "(preparing and approving provisions are incompatible duties). Another approver "
                    "must approve it.", run=run.name))
            request.with_env(self.env).action_approve()
        return True

    def _ctrl_on_approved(self, request):
        approver = request.step_ids.filtered(lambda s: s.state == "approved")[-1:].user_id
        for run in self:
            run._post(approver)

    def _post(self, approver):
        """Post the adjustment entry (as the approval's effect)."""
        self.ensure_one()
        self._check_postable()
        other = self.search([("company_id", "=", self.company_id.id), ("period", "=", self.period),
                             ("state", "=", "posted"), ("id", "!=", self.id)], limit=1)
        if other:
            raise ValidationError(_("The period %(period)s already has the posted run %(run)s.",
                                    period=self.period, run=other.name))
        balance = self.currency_id.round(self._allowance_balance())
        if self.currency_id.compare_amounts(balance, self.allowance_balance):
            raise UserError(_(
                "Provision run %(run)s: the allowance balance moved from %(old)s to %(new)s since the run was "
                "prepared. Prepare the run again.", run=self.name,
                old=self.currency_id.format(self.allowance_balance), new=self.currency_id.format(balance)))
        move = self.env["account.move"].sudo()
        if not self.currency_id.is_zero(self.adjustment_amount):
            move = move.create(self._move_values())
            move.action_post()
        self._ctrl_set_state("posted", move_id=move.id, approved_by_id=approver.id)
        self._message_log(body=_("Posted by the approval of %(user)s: %(what)s.", user=approver.name,
                                 what=move.name if move else _("no adjustment needed")))

    def _move_values(self):
        self.ensure_one()
        amount = abs(self.adjustment_amount)
        increase = self.adjustment_amount > 0
        label = _("Bad-debt provision %(period)s: %(what)s", period=self.period,
                  what=_("increase") if increase else _("release"))
        debit_account, credit_account = (
            (self.expense_account_id, self.allowance_account_id) if increase
            else (self.allowance_account_id, self.expense_account_id))
        return {
            "move_type": "entry",
            "company_id": self.company_id.id,
            "journal_id": self.journal_id.id,
            "date": self.date,
            "ref": self.name,
            "line_ids": [
                fields.Command.create({"name": label, "account_id": debit_account.id, "debit": amount}),
                fields.Command.create({"name": label, "account_id": credit_account.id, "credit": amount}),
            ],
        }

    def _cancel_pending_requests(self):
        for run in self:
            run._ctrl_approval_requests("post", ["pending"]).with_user(SUPERUSER_ID).action_cancel()

    def action_cancel(self):
        """Cancel a run. A posted run's entry is reversed on the same date."""
        self._check_manager()
        for run in self:
            if run.state == "cancelled":
                continue
            if run.state == "posted" and run.move_id:
                run._check_lock_date(run.date)
                reversal = run.move_id.sudo()._reverse_moves(
                    [{"date": run.date, "ref": _("Reversal of %(run)s", run=run.name)}], cancel=True)
                run._ctrl_write_protected({"reversal_move_id": reversal.id})
            run._cancel_pending_requests()
            run._ctrl_set_state("cancelled")
            run._message_log(body=_("Cancelled%(what)s.", what=_(": entry %s reversed", run.move_id.name)
                                    if run.move_id else ""))
        return True

    def action_adopt_expected_loss(self):
        """Write the expected-loss rates into the provisioning scheme (logged
        on its chatter); the run is computed again with them."""
        self._check_manager()
        self.ensure_one()
        if self.state != "draft" or not self.expected_loss:
            raise UserError(_("Adopt expected-loss rates from a draft run that shows them (enable the "
                              "expected-loss matrix in the Receivables settings, then compute the run)."))
        rates = {row["bucket_id"]: row["loss"] for row in self.expected_loss if row["loss"] is not None}
        if not rates:
            raise UserError(_("The company's history gives no expected-loss rate yet: keep the configured rates."))
        buckets = self.scheme_id.bucket_ids.filtered(lambda b: b.id in rates)
        before = ", ".join(f"{b.name} {b.rate:g}%" for b in buckets)
        for bucket in buckets:
            bucket.rate = round(rates[bucket.id], 2)
        self.scheme_id.message_post(body=_(
            "Rates adopted from the expected-loss matrix of %(run)s. Before: %(before)s. After: %(after)s.",
            run=self.name, before=before, after=", ".join(f"{b.name} {b.rate:g}%" for b in buckets)))
        self._compute_lines()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_receivable.ctrl_provision_run_line_action")
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {"search_default_group_bucket": 1}
        return action

    # Scheduled action -----------------------------------------------------------
    @api.model
    def _cron_prepare(self):
        """Monthly: prepare the draft run of last month for every company with an allowance account that has
        none yet. Idempotent: a run the accountants are working on (draft, waiting for approval or posted) is
        left to them; preparing it again is their action."""
        month_end = fields.Date.context_today(self).replace(day=1) - timedelta(days=1)
        companies = self.env["res.company"].search([("ctrl_recv_allowance_account_id", "!=", False),
                                                    ("ctrl_live", "=", True)])
        for done, company in enumerate(companies):
            exists = self.search_count([("company_id", "=", company.id), ("period", "=", month_end.strftime("%Y-%m")),
                                        ("state", "in", ("draft", "to_approve", "posted"))])
            if not exists:
                self.with_company(company)._prepare(company, month_end)
            self.env["ir.cron"]._notify_progress(done=done + 1, remaining=len(companies) - done - 1)
