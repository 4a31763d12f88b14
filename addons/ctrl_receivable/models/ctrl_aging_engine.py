# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .account_partial_reconcile import LINE_COLUMNS


class CtrlAgingEngine(models.AbstractModel):
    """Set-based aging of receivable journal items as of any date.

    The open amount of a receivable line as of date D is its balance minus the
    partial reconciliations dated (``max_date``) on or before D. Odoo stores
    ``amount_residual`` = balance minus *all* its partials, so the same number
    is read as ``amount_residual`` plus the partials dated after D: one scan of
    the receivable lines and only the partials after D. A line that is fully
    reconciled today and has no partial after D was closed on D already.
    Amounts are in company currency (``amount``) and in the line's currency
    (``amount_currency``). The total of the open amounts equals the balance of
    the receivable accounts at D (see ``_account_balance``): every partial
    dated on or before D joins two lines dated on or before D, and cancels out.
    """

    _name = "ctrl.aging.engine"
    _description = "Receivable aging engine"

    @api.model
    def _receivable_accounts(self, companies):
        return self.env["account.account"].sudo().search([
            ("account_type", "=", "asset_receivable"), ("company_ids", "in", companies.ids),
        ])

    @api.model
    def _flush(self):
        self.env["account.move.line"].flush_model([
            "account_id", "company_id", "partner_id", "parent_state", "date", "date_maturity", "invoice_date",
            "amount_residual", "amount_residual_currency", "reconciled", "balance", "currency_id", "move_id",
        ])
        self.env["account.move"].flush_model(["invoice_user_id", "team_id", "state"])
        self.env["account.partial.reconcile"].flush_model([
            "debit_move_id", "credit_move_id", "amount", "debit_amount_currency", "credit_amount_currency",
            "max_date", "company_id", *LINE_COLUMNS,
        ])

    @api.model
    def _bucket_case(self, scheme, date, basis=None):
        """SQL of the bucket id of ``aml`` (or of the date ``basis``): the
        bucket whose cutoff is the last one before the item's basis date, found
        by one ``width_bucket`` over the ascending cutoffs instead of a CASE
        that compares them one by one."""
        if basis is None:
            basis = SQL("COALESCE(aml.date_maturity, aml.date)") if scheme.basis == "due" \
                else SQL("COALESCE(aml.invoice_date, aml.date)")
        cutoffs = [(bucket, cutoff) for bucket, cutoff in scheme._bucket_cutoffs(date) if cutoff]
        last = scheme._ordered_buckets()[-1]
        if not cutoffs:
            return SQL("%s", last.id)
        # width_bucket counts the thresholds on or before the basis date; the
        # item is in a bucket when its basis is after (not on) the cutoff.
        thresholds = [cutoff + timedelta(days=1) for _bucket, cutoff in reversed(cutoffs)]
        bucket_ids = [last.id] + [bucket.id for bucket, _cutoff in reversed(cutoffs)]
        return SQL("(%s::int[])[width_bucket(%s, %s::date[]) + 1]", bucket_ids, basis, thresholds)

    @api.model
    def _later_sides_sql(self, date, unfilled_only=False):
        """FROM item ``sides`` (line_id, amount, amount_currency): each side,
        signed, of the partials dated after ``date`` whose line is dated on or
        before it. The other sides (mostly the later payments) are lines that
        did not exist at ``date``, so they are skipped without being read.
        Both halves are read from the covering index on ``max_date``. With
        ``unfilled_only``, only the partials whose line values are not filled
        yet (see ``_later_side_items_sql``)."""
        unfilled = SQL("AND ctrl_account_id IS NULL") if unfilled_only else SQL()
        return SQL(
            """(SELECT debit_move_id, amount, debit_amount_currency FROM account_partial_reconcile
                 WHERE max_date > %(date)s AND COALESCE(ctrl_debit_date, %(date)s) <= %(date)s %(unfilled)s
                UNION ALL
                SELECT credit_move_id, -amount, -credit_amount_currency FROM account_partial_reconcile
                 WHERE max_date > %(date)s AND COALESCE(ctrl_credit_date, %(date)s) <= %(date)s %(unfilled)s
               ) sides(line_id, amount, amount_currency)""",
            date=date, unfilled=unfilled)

    @api.model
    def _later_side_items_sql(self, date, companies, accounts):
        """FROM item ``aml``: the same sides as ``_later_sides_sql``, on the
        given receivable accounts, with the values of their line that the
        partial keeps (line_id, partner_id, company_id, account_id, date,
        date_maturity, invoice_date, reconciled, amount): read from the
        covering index alone, no line looked up. A partial joins posted lines
        only (resetting an entry to draft removes its reconciliations). The
        partials not filled yet are left out."""
        side = """SELECT {side}_move_id, ctrl_{side}_partner_id, company_id, ctrl_account_id, ctrl_{side}_date,
                         ctrl_{side}_maturity, ctrl_{side}_invoice_date, ctrl_{side}_reconciled, {sign}amount
                    FROM account_partial_reconcile
                   WHERE max_date > %(date)s AND ctrl_{side}_date <= %(date)s
                     AND ctrl_account_id = ANY(%(accounts)s) AND company_id = ANY(%(companies)s)"""
        return SQL(
            "(" + side.format(side="debit", sign="") + " UNION ALL " + side.format(side="credit", sign="-")
            + """) aml(line_id, partner_id, company_id, account_id, date, date_maturity, invoice_date,
                       reconciled, amount)""",
            date=date, accounts=accounts.ids, companies=companies.ids)

    @api.model
    def _open_items_sql(self, date, companies, scheme, with_move=False):
        """SELECT of the receivable lines open at ``date``: line_id, move_id,
        partner_id, company_id, account_id, currency_id, date, date_maturity,
        invoice_date, amount, amount_currency, days_due, bucket_id (and
        user_id, team_id with ``with_move``)."""
        date = fields.Date.to_date(date)
        accounts = self._receivable_accounts(companies)
        move_columns = SQL(", move.invoice_user_id AS user_id, move.team_id AS team_id") if with_move else SQL()
        move_join = SQL("JOIN account_move move ON move.id = aml.move_id") if with_move else SQL()
        columns = SQL(
            """aml.id AS line_id, aml.move_id, aml.partner_id, aml.company_id, aml.account_id,
               aml.currency_id, aml.date, aml.date_maturity, aml.invoice_date,
               aml.amount_residual + COALESCE(later.amount, 0.0) AS amount,
               aml.amount_residual_currency + COALESCE(later.amount_currency, 0.0) AS amount_currency,
               GREATEST(%(date)s::date - COALESCE(aml.date_maturity, aml.date), 0) AS days_due,
               %(bucket)s AS bucket_id
               %(move_columns)s""",
            date=date, bucket=self._bucket_case(scheme, date), move_columns=move_columns)
        where = SQL(
            """aml.account_id = ANY(%(accounts)s) AND aml.company_id = ANY(%(companies)s)
               AND aml.parent_state = 'posted' AND aml.date <= %(date)s""",
            accounts=accounts.ids, companies=companies.ids, date=date)
        # Two branches: the lines open today (Odoo's partial index on unreconciled
        # lines serves them) and the lines reconciled today by a partial dated
        # after the as-of date (reached from those few partials).
        return SQL(
            """
            WITH later AS (
                SELECT sides.line_id, SUM(sides.amount) AS amount, SUM(sides.amount_currency) AS amount_currency
                  FROM %(sides)s
                 GROUP BY sides.line_id
            )
            SELECT %(columns)s
              FROM account_move_line aml
              %(move_join)s
              LEFT JOIN later ON later.line_id = aml.id
             WHERE %(where)s AND aml.reconciled IS NOT TRUE
            UNION ALL
            SELECT %(columns)s
              FROM later
              JOIN account_move_line aml ON aml.id = later.line_id
              %(move_join)s
             WHERE %(where)s AND aml.reconciled IS TRUE
            """,
            date=date, columns=columns, where=where, move_join=move_join, sides=self._later_sides_sql(date),
        )

    @api.model
    def _open_amounts_branches(self, date, companies, scheme, with_move=False, lean=False):
        """Two contributions to the open amounts at ``date``, each a pair
        (SELECT of items, aggregate over ``items`` that counts its open lines):

        - the bulk: each line open today with its residual. It needs no join,
          so PostgreSQL scans it like a bare aggregate (in parallel);
        - the correction: each side of a partial dated after ``date``, with
          its line's columns. It is not summed per line first, so the look-ups
          of the lines run in the parallel workers too.

        Counting needs no residual: a partial's amount is never negative, so
        a line's residual only moves towards zero. A line open today (counted
        by the bulk) was open at ``date``; a line reconciled today was open
        then if a later partial moved a non-zero amount of it.

        ``lean`` items have no ``move_id`` (nor ``with_move`` columns): their
        correction reads the line values kept on the partials instead of
        looking each line up, which was most of its cost."""
        date = fields.Date.to_date(date)
        accounts = self._receivable_accounts(companies)
        move_columns = SQL(", move.invoice_user_id AS user_id, move.team_id AS team_id") if with_move else SQL()
        move_join = SQL("JOIN account_move move ON move.id = aml.move_id") if with_move else SQL()
        keys = SQL(
            """aml.id AS line_id, aml.move_id, aml.partner_id, aml.company_id, aml.account_id, aml.date,
               aml.date_maturity, aml.invoice_date, %(bucket)s AS bucket_id %(move_columns)s""",
            bucket=self._bucket_case(scheme, date), move_columns=move_columns)
        where = SQL(
            """aml.account_id = ANY(%(accounts)s) AND aml.company_id = ANY(%(companies)s)
               AND aml.parent_state = 'posted' AND aml.date <= %(date)s""",
            accounts=accounts.ids, companies=companies.ids, date=date)
        bulk = SQL(
            """SELECT %(keys)s, aml.amount_residual AS amount
                 FROM account_move_line aml %(move_join)s
                WHERE %(where)s AND aml.reconciled IS NOT TRUE""",
            keys=keys, move_join=move_join, where=where)
        correction = SQL(
            """SELECT %(keys)s, sides.amount, aml.reconciled AND sides.amount <> 0 AS reopens
                 FROM %(sides)s
                 JOIN account_move_line aml ON aml.id = sides.line_id
                 %(move_join)s
                WHERE %(where)s""",
            keys=keys, move_join=move_join, where=where, sides=self._later_sides_sql(date, unfilled_only=lean))
        if lean:
            lean_keys = SQL(
                """aml.line_id, aml.partner_id, aml.company_id, aml.account_id, aml.date, aml.date_maturity,
                   aml.invoice_date, %(bucket)s AS bucket_id""", bucket=self._bucket_case(scheme, date))
            looked_up = correction
            correction = SQL(
                """SELECT %(keys)s, aml.amount, aml.reconciled AND aml.amount <> 0 AS reopens FROM %(sides)s
                   UNION ALL
                   SELECT items.line_id, items.partner_id, items.company_id, items.account_id, items.date,
                          items.date_maturity, items.invoice_date, items.bucket_id, items.amount, items.reopens
                     FROM (%(looked_up)s) items""",
                keys=lean_keys, sides=self._later_side_items_sql(date, companies, accounts), looked_up=looked_up)
        # int4 counts: their sum is a bigint, that of a bigint a numeric.
        return [
            (bulk, SQL("COUNT(*)::int")),
            (correction, SQL("(COUNT(DISTINCT items.line_id) FILTER (WHERE items.reopens))::int")),
        ]

    @api.model
    def _grouped_amounts_sql(self, date, companies, scheme, keys, with_move=False, float_sums=False, lean=False):
        """SELECT of the open amounts at ``date`` per ``keys`` and bucket:
        the keys, ``bucket_id``, ``amount`` and ``item_count``. ``keys`` is a
        list of (name, SQL expression over the columns of
        ``_open_amounts_branches`` as ``items``). Each branch is summed on its
        own first, so the parallel workers sum the bulk and pass on groups,
        not lines.

        With ``float_sums`` the amounts are summed as float8 (what Odoo reads
        them as), whose partial sums the workers hand over far more cheaply
        than numeric ones; a group's sum is then exact to well within the
        currency's rounding. Amounts that are posted keep ``numeric``."""
        keys = [*keys, ("bucket_id", SQL("items.bucket_id"))]
        names = SQL(", ").join(SQL.identifier(name) for name, _expr in keys)
        exprs = SQL(", ").join(SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in keys)
        positions = SQL(", ".join(str(index + 1) for index in range(len(keys))))
        amount = SQL("items.amount::float8") if float_sums else SQL("items.amount")
        summed = [
            SQL("""SELECT %(exprs)s, SUM(%(amount)s) AS amount, %(count)s AS item_count
                     FROM (%(branch)s) items GROUP BY %(positions)s""",
                exprs=exprs, amount=amount, branch=branch, count=count, positions=positions)
            for branch, count in self._open_amounts_branches(date, companies, scheme, with_move=with_move,
                                                             lean=lean)
        ]
        return SQL(
            """SELECT %(names)s, SUM(amount) AS amount, SUM(item_count) AS item_count
                 FROM (%(summed)s) summed GROUP BY %(names)s""",
            names=names, summed=SQL(" UNION ALL ").join(summed))

    # Session settings of one reporting query over all receivable lines: no
    # JIT (compiling costs more than it saves on a scan of this size), and
    # parallel workers priced so that PostgreSQL still groups in them when
    # the sums are cheap float8 ones (by default it then chose one process,
    # which measured slower). The memory setting is left alone: with more
    # memory it also chose one process.
    REPORT_SETTINGS = {"jit": "off", "parallel_setup_cost": "10", "parallel_tuple_cost": "0.001"}

    @contextmanager
    def _report_settings(self):
        """Apply ``REPORT_SETTINGS`` to the transaction, restored after it."""
        cr = self.env.cr
        names = list(self.REPORT_SETTINGS)
        cr.execute(SQL("SELECT %s", SQL(", ").join(SQL("current_setting(%s)", name) for name in names)))
        previous = dict(zip(names, cr.fetchone()))
        self._set_config(self.REPORT_SETTINGS)
        try:
            yield
        finally:
            self._set_config(previous)

    @api.model
    def _set_config(self, settings):
        self.env.cr.execute(SQL("SELECT %s", SQL(", ").join(
            SQL("set_config(%s, %s, true)", name, value) for name, value in settings.items())))

    @api.model
    def _aggregate(self, date, companies, scheme, groupby=("partner_id",), exact=False):
        """Open amounts (company currency) per ``groupby`` and bucket:
        a list of tuples (*groupby values, bucket_id, amount, count). A key
        of ``groupby`` is a column of the items, or a pair (name, SQL
        expression over ``items``). With ``exact`` the amounts are summed as
        numeric (a report that must equal its stored copy to the cent)."""
        self._flush()
        keys = [(key, SQL.identifier("items", key)) if isinstance(key, str) else key for key in groupby]
        names = [name for name, _expr in keys]
        with_move = any(name in ("user_id", "team_id") for name in names)
        # Summed and handed over as float8, which the driver reads in C; a
        # numeric is parsed in Python, row by row (Odoo reads both as float).
        # Grouped by the lines' own columns only: the lean correction serves (no move look-up).
        lean = not with_move and all(isinstance(key, str) for key in groupby) \
            and set(names) <= {"partner_id", "company_id", "account_id"}
        grouped = self._grouped_amounts_sql(date, companies, scheme, keys, with_move=with_move,
                                            float_sums=not exact, lean=lean)
        columns = SQL(", ").join(SQL.identifier(name) for name in (*names, "bucket_id"))
        # A group with no open line is kept only for an amount the currency shows.
        half_unit = min(companies.currency_id.mapped("rounding"), default=0.01) / 2
        with self._report_settings():
            self.env.cr.execute(SQL(
                """SELECT %s, amount, item_count FROM (%s) grouped
                    WHERE item_count <> 0 OR ABS(amount) >= %s""", columns, grouped, half_unit))
            return self.env.cr.fetchall()

    @api.model
    def _bills_in_hand_sql(self, date, companies, scheme):
        """SELECT of the commercial acceptance bills in hand at ``date``
        (received on or before it, not yet endorsed, discounted, collected or
        dishonoured then; cancelled ones never count), bucketed by maturity
        date: bill_id, partner_id, company_id, currency_id, maturity_date,
        days_due, bucket_id, amount (company currency), amount_currency.
        One scan of the bills, set-based."""
        date = fields.Date.to_date(date)
        self.env["ctrl.credit.bill"].flush_model([
            "state", "partner_id", "company_id", "currency_id", "maturity_date", "receipt_date", "amount",
            "amount_company", "transfer_move_id", "done_date"])
        return SQL(
            """SELECT b.id AS bill_id, b.partner_id, b.company_id, b.currency_id, b.maturity_date,
                      GREATEST(%(date)s::date - b.maturity_date, 0) AS days_due, %(bucket)s AS bucket_id,
                      b.amount_company AS amount, b.amount AS amount_currency
                 FROM ctrl_credit_bill b
                 LEFT JOIN account_move t ON t.id = b.transfer_move_id
                WHERE b.company_id = ANY(%(companies)s) AND b.state NOT IN ('draft', 'cancel')
                  AND b.receipt_date <= %(date)s
                  AND COALESCE(t.date, b.done_date, 'infinity'::date) > %(date)s""",
            date=date, companies=companies.ids,
            bucket=self._bucket_case(scheme, date, basis=SQL("b.maturity_date")))

    @api.model
    def _account_balance(self, date, companies):
        """Balance of the receivable accounts at ``date`` (posted entries, company currency)."""
        self._flush()
        accounts = self._receivable_accounts(companies)
        self.env.cr.execute(SQL(
            """SELECT COALESCE(SUM(balance), 0.0) FROM account_move_line
                WHERE account_id = ANY(%s) AND company_id = ANY(%s) AND parent_state = 'posted' AND date <= %s""",
            accounts.ids, companies.ids, fields.Date.to_date(date),
        ))
        return self.env.cr.fetchone()[0]
