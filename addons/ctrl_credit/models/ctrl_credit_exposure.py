# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The credit exposure ledger (issue #23 item 1, #22 item 4).

One row per (commercial partner, company) holds the three parts of the
customer's credit exposure, in company currency:

- ``receivable``: open receivables, the residual of the posted, unreconciled
  lines on receivable accounts;
- ``to_invoice``: confirmed orders not yet invoiced (tax included, at the
  order's rate);
- ``drafts``: draft customer invoices and credit notes (signed);
- ``bills``: commercial acceptance bills received from the customer and not
  yet collected (held, endorsed or discounted: the customer's risk until the
  acceptor pays at maturity; 001/AR02.6, AR16.8), at the receipt date's rate.

PostgreSQL triggers keep it in the same transaction as the change: set-based
statement triggers (transition tables) on account_move_line, account_move,
sale_order, sale_order_line and ctrl_credit_bill add the difference each statement makes
(new rows' contributions minus old rows'), and row triggers on res_partner
(a contact moved to another company) and account_account (a type changed)
move the contributions they carry. Whatever writes, the ORM or SQL, the
ledger follows, and no check sums the customer's history any more.

The definition of each part is written once, below (``_PARTS``): the
triggers and the full recomputation (the view ``ctrl_credit_exposure_source``,
used to fill the ledger at install and by the nightly check) are built from it.
"""
import logging
from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL, float_compare

from odoo.addons.ctrl_base.models.ctrl_escalation_ladder import TRANSIENT_ERRORS

_logger = logging.getLogger(__name__)

LEDGER = "ctrl_credit_exposure"
SOURCE_VIEW = "ctrl_credit_exposure_source"
COLUMNS = ("receivable", "to_invoice", "drafts", "bills")
# pg_try_advisory_xact_lock key of the nightly check: one worker at a time.
CHECK_LOCK = 7266

# Each part: the ledger column and the rows that contribute to it (partner_id = commercial partner,
# company_id, amount). {aml}, {so}, {sol}, {move}, {bill} name the tables (or a trigger's transition table);
# {where} narrows them (a contact, an account); {receivable} is the test of the account's type.
_PARTS = {
    "receivable": """
        SELECT p.commercial_partner_id AS partner_id, aml.company_id, aml.amount_residual AS amount
          FROM {aml} aml
          JOIN res_partner p ON p.id = aml.partner_id
          JOIN account_account acc ON acc.id = aml.account_id
         WHERE aml.parent_state = 'posted' AND aml.reconciled IS NOT TRUE AND {receivable}
           AND aml.amount_residual <> 0 AND p.commercial_partner_id IS NOT NULL AND {where}""",
    "to_invoice": """
        SELECT p.commercial_partner_id AS partner_id, so.company_id,
               sol.untaxed_amount_to_invoice
               * CASE WHEN sol.price_subtotal <> 0 THEN sol.price_total / sol.price_subtotal ELSE 1 END
               / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
          FROM {so} so
          JOIN {sol} sol ON sol.order_id = so.id
          JOIN res_partner p ON p.id = so.partner_id
         WHERE so.state = 'sale' AND sol.untaxed_amount_to_invoice > 0 AND p.commercial_partner_id IS NOT NULL
           AND {where}""",
    "drafts": """
        SELECT m.commercial_partner_id AS partner_id, m.company_id, m.amount_total_signed AS amount
          FROM {move} m
         WHERE m.state = 'draft' AND m.move_type IN ('out_invoice', 'out_refund')
           AND m.commercial_partner_id IS NOT NULL AND {where}""",
    "bills": """
        SELECT p.commercial_partner_id AS partner_id, b.company_id, b.amount_company AS amount
          FROM {bill} b
          JOIN res_partner p ON p.id = b.partner_id
         WHERE b.state IN ('held', 'endorsed', 'discounted') AND b.amount_company <> 0
           AND p.commercial_partner_id IS NOT NULL AND {where}""",
}
_TABLES = {"aml": "account_move_line", "so": "sale_order", "sol": "sale_order_line", "move": "account_move",
           "bill": "ctrl_credit_bill"}
_IS_RECEIVABLE = "acc.account_type = 'asset_receivable'"
# The tables whose statements change a part, with the part and the role the table plays in it.
_TRIGGERS = {
    "account_move_line": (("receivable", "aml"),),
    "sale_order": (("to_invoice", "so"),),
    "sale_order_line": (("to_invoice", "sol"),),
    "account_move": (("drafts", "move"),),
    "ctrl_credit_bill": (("bills", "bill"),),
}


def _part(column, where="TRUE", receivable=_IS_RECEIVABLE, **tables):
    return _PARTS[column].format(**dict(_TABLES, **tables), where=where, receivable=receivable)


def _upsert(rows_sql, columns):
    """Add rows (partner_id, company_id, <columns>) to the ledger, in a fixed lock order."""
    sums = ", ".join(f"SUM({c}) AS {c}" for c in columns)
    values = ", ".join(c if c in columns else "0" for c in COLUMNS)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in columns)
    added = ", ".join(f"{c} = e.{c} + EXCLUDED.{c}" for c in columns)
    return f"""
        INSERT INTO {LEDGER} AS e (partner_id, company_id, {", ".join(COLUMNS)})
        SELECT partner_id, company_id, {values} FROM (
            SELECT partner_id, company_id, {sums}
              FROM ({rows_sql}) d
             GROUP BY partner_id, company_id HAVING {nonzero}
             ORDER BY partner_id, company_id) s
        ON CONFLICT (partner_id, company_id) DO UPDATE SET {added};"""


def _source_sql():
    """The full recomputation of every ledger row, from the documents."""
    parts = " UNION ALL ".join(
        f"SELECT partner_id, company_id, {', '.join('amount' if c == col else '0' for c in COLUMNS)} "
        f"FROM ({_part(col)}) {col}" for col in COLUMNS)
    return f"""
        SELECT partner_id, company_id, {", ".join(f"SUM(r.{c}) AS {c}" for c in COLUMNS)}
          FROM ({parts}) AS r ({", ".join(("partner_id", "company_id", *COLUMNS))})
         GROUP BY partner_id, company_id"""


def _statement_trigger_sql(table):
    """plpgsql body of a statement trigger of ``table``: the parts it changes, new rows minus old rows."""
    branches = {"INSERT": [], "DELETE": [], "UPDATE": []}
    for column, role in _TRIGGERS[table]:
        new = _part(column, **{role: "ctrl_new"})
        old = _part(column, **{role: "ctrl_old"})
        negated = f"SELECT partner_id, company_id, -amount FROM ({old}) o"
        branches["INSERT"].append(_upsert(f"SELECT partner_id, company_id, amount AS {column} FROM ({new}) n",
                                          (column,)))
        branches["DELETE"].append(_upsert(f"SELECT partner_id, company_id, amount AS {column} FROM ({negated}) "
                                          f"AS o (partner_id, company_id, amount)", (column,)))
        branches["UPDATE"].append(_upsert(
            f"SELECT partner_id, company_id, amount AS {column} FROM ({new} UNION ALL {negated}) "
            f"AS d (partner_id, company_id, amount)", (column,)))
    return f"""
        BEGIN
            IF TG_OP = 'INSERT' THEN {"".join(branches["INSERT"])}
            ELSIF TG_OP = 'DELETE' THEN {"".join(branches["DELETE"])}
            ELSE {"".join(branches["UPDATE"])}
            END IF;
            RETURN NULL;
        END;"""


def _partner_trigger_sql():
    """A contact moved to another commercial partner: its own lines, orders and bills move with it."""
    moving = ("receivable", "to_invoice", "bills")
    rows = " UNION ALL ".join(
        f"SELECT company_id, {', '.join('amount' if c == col else '0' for c in moving)} "
        f"FROM ({_part(col, where=where)}) {col}"
        for col, where in (("receivable", "aml.partner_id = NEW.id"), ("to_invoice", "so.partner_id = NEW.id"),
                           ("bills", "b.partner_id = NEW.id")))
    moved = f"""
        SELECT k.partner_id, c.company_id, {", ".join(f"k.sign * c.{c} AS {c}" for c in moving)}
          FROM ({rows}) AS c (company_id, {", ".join(moving)})
         CROSS JOIN (VALUES (NEW.commercial_partner_id, 1), (OLD.commercial_partner_id, -1)) AS k (partner_id, sign)
         WHERE k.partner_id IS NOT NULL"""
    return f"""
        BEGIN {_upsert(moved, moving)}
            RETURN NULL;
        END;"""


def _account_trigger_sql():
    """An account became receivable or stopped being one: its open lines join or leave the ledger."""
    rows = _part("receivable", receivable="TRUE", where="aml.account_id = NEW.id")
    sign = ("(CASE WHEN NEW.account_type = 'asset_receivable' THEN 1 ELSE 0 END"
            " - CASE WHEN OLD.account_type = 'asset_receivable' THEN 1 ELSE 0 END)")
    return f"""
        BEGIN {_upsert(f"SELECT partner_id, company_id, {sign} * amount AS receivable FROM ({rows}) r",
                       ("receivable",))}
            RETURN NULL;
        END;"""


# The exposure and the oldest overdue due date of commercial partners (r_partner): the ledger row (locked and
# created if missing when ``locked``) and, per contact and receivable account, one probe of the open lines'
# index (ctrl_credit_aml_open_due_idx) for the first due date before ``today`` and from ``since``.
_OLDEST = """(SELECT MIN(due.date_maturity)
                FROM res_partner m
               CROSS JOIN account_account acc
               CROSS JOIN LATERAL (
                     SELECT aml.date_maturity FROM account_move_line aml
                      WHERE aml.account_id = acc.id AND aml.partner_id = m.id AND aml.company_id = company
                        AND aml.reconciled IS NOT TRUE AND aml.parent_state = 'posted' AND aml.amount_residual > 0
                        AND aml.date_maturity < today AND aml.date_maturity >= since
                      ORDER BY aml.date_maturity LIMIT 1) due
               WHERE m.commercial_partner_id = k.id AND acc.account_type = 'asset_receivable')"""
_READER = f"""
    BEGIN
        IF locked THEN
            INSERT INTO {LEDGER} (partner_id, company_id)
            SELECT n.id, company FROM unnest(ids) AS n (id)
             WHERE NOT EXISTS (SELECT 1 FROM {LEDGER} x WHERE x.partner_id = n.id AND x.company_id = company)
             ORDER BY n.id
            ON CONFLICT (partner_id, company_id) DO NOTHING;
            RETURN QUERY
            SELECT k.id, k.receivable + k.to_invoice + k.drafts + k.bills, {_OLDEST}
              FROM (SELECT l.partner_id AS id, l.receivable, l.to_invoice, l.drafts, l.bills FROM {LEDGER} l
                     WHERE l.partner_id = ANY(ids) AND l.company_id = company
                     ORDER BY l.partner_id FOR UPDATE) k;
        ELSE
            RETURN QUERY
            SELECT k.id, COALESCE(e.receivable + e.to_invoice + e.drafts + e.bills, 0), {_OLDEST}
              FROM unnest(ids) AS k (id)
              LEFT JOIN {LEDGER} e ON e.partner_id = k.id AND e.company_id = company;
        END IF;
    END;"""


def drop_triggers(cr):
    """Remove the triggers and functions (uninstall: nothing may write into a dropped ledger)."""
    for table in _TRIGGERS:
        for op in ("insert", "update", "delete"):
            cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(f"ctrl_credit_exposure_{op}"),
                           SQL.identifier(table)))
    cr.execute(SQL("DROP TRIGGER IF EXISTS ctrl_credit_exposure_partner ON res_partner"))
    cr.execute(SQL("DROP TRIGGER IF EXISTS ctrl_credit_exposure_account ON account_account"))
    for table in (*_TRIGGERS, "res_partner", "account_account"):
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(f"ctrl_credit_exposure_{table}")))
    cr.execute(SQL("DROP FUNCTION IF EXISTS ctrl_credit_exposure_read(int[], int, date, date, boolean)"))
    cr.execute(SQL("DROP VIEW IF EXISTS %s", SQL.identifier(SOURCE_VIEW)))


class CtrlCreditExposure(models.Model):
    """Credit exposure of a customer in a company, kept by the database (see
    the module's docstring). Nobody writes it through the ORM; the credit
    roles read it."""

    _name = "ctrl.credit.exposure"
    _description = "Credit Exposure"
    _log_access = False
    _order = "company_id, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="company_id.currency_id")
    receivable = fields.Monetary(
        "Open receivables", readonly=True, help="Posted invoices and other receivables not yet paid.")
    to_invoice = fields.Monetary(
        "Orders to invoice", readonly=True, help="Confirmed orders not yet invoiced, taxes included.")
    drafts = fields.Monetary("Draft invoices", readonly=True, help="Draft customer invoices and credit notes.")
    bills = fields.Monetary(
        "Bills not collected", readonly=True,
        help="Commercial acceptance bills received from the customer and not yet collected (held, endorsed or "
        "discounted): the customer's risk until the acceptor pays at maturity.")
    exposure = fields.Monetary("Credit exposure", compute="_compute_exposure")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "A customer has one exposure per company."),
    ]

    @api.depends("receivable", "to_invoice", "drafts", "bills")
    def _compute_exposure(self):
        for row in self:
            row.exposure = row.receivable + row.to_invoice + row.drafts + row.bills

    def init(self):
        cr = self.env.cr
        for column in COLUMNS:
            cr.execute(SQL("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT 0", SQL.identifier(LEDGER),
                           SQL.identifier(column)))
            # A column added by an update (``bills``) starts empty on the existing rows.
            cr.execute(SQL("UPDATE %s SET %s = 0 WHERE %s IS NULL", SQL.identifier(LEDGER), SQL.identifier(column),
                           SQL.identifier(column)))
        # The oldest overdue due date of a customer: one probe per contact and receivable account.
        cr.execute(SQL("""CREATE INDEX IF NOT EXISTS ctrl_credit_aml_open_due_idx
                          ON account_move_line (account_id, partner_id, date_maturity)
                          WHERE reconciled IS NOT TRUE AND parent_state = 'posted' AND amount_residual > 0"""))
        cr.execute(SQL("CREATE OR REPLACE VIEW %s AS %s", SQL.identifier(SOURCE_VIEW), SQL(_source_sql())))
        for table in _TRIGGERS:
            function = f"ctrl_credit_exposure_{table}"
            cr.execute(SQL("CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS %s",
                           SQL.identifier(function), _statement_trigger_sql(table)))
            for op, tables in (("insert", "NEW TABLE AS ctrl_new"), ("delete", "OLD TABLE AS ctrl_old"),
                               ("update", "OLD TABLE AS ctrl_old NEW TABLE AS ctrl_new")):
                trigger = SQL.identifier(f"ctrl_credit_exposure_{op}")
                cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", trigger, SQL.identifier(table)))
                cr.execute(SQL(f"CREATE TRIGGER %s AFTER {op.upper()} ON %s REFERENCING {tables} "
                               "FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                               trigger, SQL.identifier(table), SQL.identifier(function)))
        for table, column, body in (("res_partner", "commercial_partner_id", _partner_trigger_sql()),
                                    ("account_account", "account_type", _account_trigger_sql())):
            function = SQL.identifier(f"ctrl_credit_exposure_{table}")
            trigger = SQL.identifier(f"ctrl_credit_exposure_{table.split('_')[-1]}")
            cr.execute(SQL("CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS %s",
                           function, body))
            cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", trigger, SQL.identifier(table)))
            cr.execute(SQL(f"CREATE TRIGGER %s AFTER UPDATE OF {column} ON %s FOR EACH ROW "
                           f"WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) EXECUTE FUNCTION %s()",
                           trigger, SQL.identifier(table), function))
        # The reader: a function, so that PostgreSQL plans its queries once per connection (planning was most
        # of the check's time).
        cr.execute(SQL("CREATE OR REPLACE FUNCTION ctrl_credit_exposure_read(ids int[], company int, today date, "
                       "since date, locked boolean) RETURNS TABLE (r_partner int, r_exposure numeric, r_oldest date) "
                       "LANGUAGE plpgsql AS %s", _READER))
        # Install (and update) on a database with history: the ledger from the documents, set-based.
        self._ctrl_refresh()

    # ------------------------------------------------------------------
    # The full recomputation: install, the nightly check, tests
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_differences(self, partner_ids=None):
        """[(partner id, company id, {column: (ledger, recomputed)})] of the rows
        where the ledger differs from the documents by a unit of the company
        currency's rounding or more (``partner_ids``: these commercial partners only)."""
        self.env.flush_all()
        only = SQL("AND partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        rows = self.env.execute_query(SQL(
            """SELECT COALESCE(l.partner_id, s.partner_id), COALESCE(l.company_id, s.company_id), cur.rounding,
                      %(pairs)s
                 FROM (SELECT * FROM %(ledger)s WHERE TRUE %(only)s) l
                 FULL JOIN (SELECT * FROM %(view)s WHERE TRUE %(only)s) s
                   ON s.partner_id = l.partner_id AND s.company_id = l.company_id
                 JOIN res_company c ON c.id = COALESCE(l.company_id, s.company_id)
                 JOIN res_currency cur ON cur.id = c.currency_id
                WHERE %(differ)s
                ORDER BY 1, 2""",
            ledger=SQL.identifier(LEDGER), view=SQL.identifier(SOURCE_VIEW), only=only,
            pairs=SQL(", ".join(f"COALESCE(l.{c}, 0), COALESCE(s.{c}, 0)" for c in COLUMNS)),
            differ=SQL(" OR ".join(f"ABS(COALESCE(l.{c}, 0) - COALESCE(s.{c}, 0)) >= cur.rounding / 2"
                                   for c in COLUMNS))))
        result = []
        for partner_id, company_id, rounding, *values in rows:
            pairs = {c: (float(values[2 * i]), float(values[2 * i + 1])) for i, c in enumerate(COLUMNS)}
            differ = {c: pair for c, pair in pairs.items()
                      if float_compare(pair[0], pair[1], precision_rounding=rounding)}
            if differ:
                result.append((partner_id, company_id, differ))
        return result

    @api.model
    def _ctrl_refresh(self, partner_ids=None):
        """Set the ledger rows (of ``partner_ids``, or all) to the recomputation from the documents."""
        only = SQL("AND partner_id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        self.env.cr.execute(SQL(
            """UPDATE %(ledger)s l SET %(zero)s
                WHERE NOT EXISTS (SELECT 1 FROM %(view)s s WHERE s.partner_id = l.partner_id
                                                             AND s.company_id = l.company_id) %(only)s""",
            ledger=SQL.identifier(LEDGER), view=SQL.identifier(SOURCE_VIEW), only=only,
            zero=SQL(", ".join(f"{c} = 0" for c in COLUMNS))))
        self.env.cr.execute(SQL(
            """INSERT INTO %(ledger)s AS e (partner_id, company_id, %(columns)s)
               SELECT partner_id, company_id, %(columns)s FROM %(view)s WHERE TRUE %(only)s
                ORDER BY partner_id, company_id
               ON CONFLICT (partner_id, company_id) DO UPDATE SET %(set)s WHERE %(differ)s""",
            ledger=SQL.identifier(LEDGER), view=SQL.identifier(SOURCE_VIEW), only=only,
            columns=SQL(", ".join(COLUMNS)),
            set=SQL(", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS)),
            differ=SQL(" OR ".join(f"e.{c} IS DISTINCT FROM EXCLUDED.{c}" for c in COLUMNS))))
        self.invalidate_model()

    @api.model
    def _cron_ctrl_check(self, batch_size=1000):
        """Nightly: recompute the ledger from the documents, log every difference
        as an error and fix it. Idempotent (a fixed row no longer differs),
        batched (the rest at the next call, after ir.cron's commit) and one
        worker at a time. Returns the number of rows fixed."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, 0)", CHECK_LOCK))
        if not self.env.cr.fetchone()[0]:
            return 0  # another worker is checking
        try:
            with self.env.cr.savepoint():
                differences = self._ctrl_differences()
                batch = differences[:batch_size]
                for partner_id, company_id, differ in batch:
                    _logger.error(
                        "Credit exposure ledger differs from the documents for partner %s in company %s: %s; fixed.",
                        partner_id, company_id, ", ".join(f"{c} {ledger} instead of {source}"
                                                          for c, (ledger, source) in differ.items()))
                if batch:
                    self._ctrl_refresh(sorted({partner_id for partner_id, _company, _d in batch}))
        except TRANSIENT_ERRORS:
            # A document changed after this call's snapshot: the next call, with a new snapshot, checks again.
            self.env["ir.cron"]._notify_progress(done=0, remaining=1)
            return 0
        if differences:
            _logger.error("Credit exposure ledger: %s row(s) differed from the documents and were fixed, "
                          "%s left for the next call.", len(batch), len(differences) - len(batch))
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(differences) - len(batch))
        return len(batch)

    # ------------------------------------------------------------------
    # Reading: the one place that gives a customer's exposure
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_read(self, commercial_ids, company, today, since=None, lock=False):
        """{commercial partner id: (exposure, oldest overdue due date or None)}
        in ``company``'s currency: the exposure from the ledger, the oldest due
        date before ``today`` (and from ``since``) of an open receivable with
        something left to pay, by one probe of an index per contact and
        receivable account (no sum over the customer's history). One query.
        ``lock``: the ledger rows are locked FOR UPDATE (created if missing),
        so that two confirmations for one customer run one after the other."""
        ids = sorted(set(commercial_ids))
        if not ids:
            return {}
        # Pending ORM writes reach the ledger (through the triggers) when flushed.
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["account.move.line"].flush_model(
            ["amount_residual", "partner_id", "parent_state", "account_id", "reconciled", "company_id",
             "date_maturity"])
        self.env["account.move"].flush_model(["state", "amount_total_signed", "move_type", "commercial_partner_id",
                                              "company_id"])
        self.env["sale.order.line"].flush_model(["untaxed_amount_to_invoice", "price_total", "price_subtotal",
                                                 "order_id"])
        self.env["sale.order"].flush_model(["state", "currency_rate", "partner_id", "company_id"])
        self.env["ctrl.credit.bill"].flush_model(["state", "amount_company", "partner_id", "company_id"])
        rows = self.env.execute_query(SQL("SELECT * FROM ctrl_credit_exposure_read(%s::int[], %s, %s, %s, %s)",
                                          ids, company.id, today, since or date.min, lock))
        return {partner_id: (float(amount or 0.0), due) for partner_id, amount, due in rows}
