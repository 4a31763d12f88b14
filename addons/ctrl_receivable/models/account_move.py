# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from itertools import groupby
from operator import itemgetter

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount, format_date
from odoo.tools.sql import create_index

from odoo.addons.ctrl_base.models.ctrl_escalation_ladder import TRANSIENT_ERRORS
from odoo.addons.ctrl_base.tools.i18n import in_each_lang, write_translations
from odoo.addons.ctrl_base.tools.progress import remaining_sql

D13_STATES = [
    ("unpaid", "Unpaid"),
    ("collection", "Under collection"),
    ("doubtful", "Doubtful"),
    ("bad", "Bad debt"),
]
COLLECTION_LADDERS = ("collection", "collection_agency")
# One worker at a time places the D13 suspensions (key of a PostgreSQL advisory lock).
SUSPENSION_LOCK = 7313
# The invoices whose D13 state must be cleared: paid or no longer posted.
D13_CLEAR_SQL = ("ctrl_recv_d13_state IN ('unpaid', 'collection') "
                 "AND (payment_state NOT IN ('not_paid', 'partial') OR state <> 'posted')")
# The open customer invoices: what the collection jobs read, call after call.
OPEN_INVOICE_SQL = "move_type = 'out_invoice' AND state = 'posted' AND payment_state IN ('not_paid', 'partial')"
# The collection state of an invoice: written only by the server (promises,
# the ladder, the D13 job, write-offs), as superuser or in SQL.
CTRL_RECV_STATE_FIELDS = ("ctrl_recv_level_id", "ctrl_recv_d13_state", "ctrl_recv_d13_since",
                          "ctrl_recv_promise_date", "ctrl_recv_written_off")


class AccountMove(models.Model):
    """Customer invoices under collection: the ladder level reached, the
    seed 003 D13 state, promises to pay and the events of the collection."""

    _name = "account.move"
    _inherit = ["account.move", "ctrl.escalation.mixin"]

    # The collection levels share one activity per customer: each batch looks up the invoices of its
    # customers (2 s a batch at a million invoices without it). The agency ladder starts from its customers.
    commercial_partner_id = fields.Many2one(index=True)
    # Both are written in set-based SQL by the scheduled actions, so they are not tracked: the collection
    # events and the chatter note of each level are the invoice's history.
    ctrl_recv_level_id = fields.Many2one(
        "ctrl.escalation.level", "Collection level", readonly=True, copy=False, index="btree_not_null",
        help="Highest level of the collection ladder this invoice reached.")
    ctrl_recv_d13_state = fields.Selection(
        D13_STATES, "Collection state", readonly=True, copy=False, index="btree_not_null",
        help="Unpaid on the 5th of the month after the due date, under collection on the 5th of the "
        "following month, doubtful once a write-off is requested, bad once it is posted.")
    ctrl_recv_d13_since = fields.Date("In this state since", readonly=True, copy=False)
    ctrl_recv_promise_date = fields.Date(
        "Promised payment", readonly=True, copy=False,
        help="Date of the pending promise to pay: the collection ladder pauses until then.")
    ctrl_recv_promise_ids = fields.One2many("ctrl.collection.promise", "move_id", "Promises to pay")
    ctrl_recv_event_ids = fields.One2many("ctrl.collection.event", "move_id", "Collection events")
    ctrl_recv_written_off = fields.Monetary(
        "Written off", currency_field="company_currency_id", readonly=True, copy=False,
        help="Amount written off by posted write-offs (the case stays open for collection).")

    def init(self):
        """Partial indexes over the open customer invoices, so that each call of
        the collection job reads what is due rather than every open invoice
        (issue #23: a first run over a million invoices takes a thousand calls)."""
        result = super().init()
        cr = self.env.cr
        # The D13 states due to move, one index per state they move from (_ctrl_recv_d13_due_sql).
        create_index(cr, "account_move_ctrl_recv_d13_none_idx", self._table, ["invoice_date_due"],
                     where=f"ctrl_recv_d13_state IS NULL AND {OPEN_INVOICE_SQL}")
        create_index(cr, "account_move_ctrl_recv_d13_unpaid_idx", self._table, ["invoice_date_due"],
                     where=f"ctrl_recv_d13_state = 'unpaid' AND {OPEN_INVOICE_SQL}")
        # Suspensions: the invoices under collection, by the day they got there.
        create_index(cr, "account_move_ctrl_recv_collection_since_idx", self._table, ["ctrl_recv_d13_since"],
                     where=f"ctrl_recv_d13_state = 'collection' AND {OPEN_INVOICE_SQL}")
        # The states to clear: only the invoices paid or cancelled since they got one.
        create_index(cr, "account_move_ctrl_recv_d13_clear_idx", self._table, ["id"], where=D13_CLEAR_SQL)
        return result

    # Escalation engine hooks ---------------------------------------------------
    ctrl_recv_open_text = fields.Char(
        "Open amount (text)", compute="_compute_ctrl_recv_texts",
        help="The open amount with its currency, in the reader's language (for mail templates).")
    ctrl_recv_due_text = fields.Char(
        "Due date (text)", compute="_compute_ctrl_recv_texts",
        help="The due date in the reader's language (for mail templates).")
    ctrl_recv_reminder_html = fields.Html(
        "Invoices reminded", compute="_compute_ctrl_recv_reminder_html", sanitize=False,
        help="The invoices one reminder lists (for mail templates): the customer's invoices reaching the level "
        "together, or this invoice alone.")
    ctrl_recv_collection_note = fields.Char(
        "Collection status", compute="_compute_ctrl_recv_collection_note",
        help="Why the collection ladder leaves this invoice alone, when it does.")

    # Guards --------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._ctrl_recv_check_state_fields({name for vals in vals_list for name, value in vals.items()
                                                if value})
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._ctrl_recv_check_state_fields(set(vals))
        if vals.get("state") in ("draft", "cancel"):
            self._ctrl_recv_check_entries_kept()
        return super().write(vals)

    def button_draft(self):
        self._ctrl_recv_check_entries_kept()
        return super().button_draft()

    def button_cancel(self):
        self._ctrl_recv_check_entries_kept()
        return super().button_cancel()

    def _ctrl_recv_check_entries_kept(self):
        """The entry of a posted provision run or write-off is evidence: it is
        reversed by cancelling its document, never reset to draft, edited or
        cancelled on its own (the document would still say Posted)."""
        if not self.ids:
            return
        domain = [("move_id", "in", self.ids), ("state", "=", "posted")]
        documents = [document for model in ("ctrl.provision.run", "ctrl.writeoff")
                     for document in self.env[model].sudo().search(domain)]
        if documents:
            raise UserError(_(
                "%(entries)s belongs to %(documents)s: to undo it, cancel that document, which reverses its entry.",
                entries=", ".join(document.move_id.name for document in documents),
                documents=", ".join(document.display_name for document in documents)))

    @api.model
    def _ctrl_recv_check_state_fields(self, names):
        forced = sorted(set(CTRL_RECV_STATE_FIELDS) & names)
        if forced:
            labels = ", ".join(f"'{self._fields[name]._description_string(self.env)}'" for name in forced)
            raise AccessError(_(
                "%(fields)s of an invoice is set by the collection workflow, not by hand: record a promise to pay "
                "(Promises to pay) to pause the collection, or a write-off to write the invoice off.",
                fields=labels))

    @api.depends_context("lang")
    @api.depends("amount_residual", "currency_id", "invoice_date_due")
    def _compute_ctrl_recv_texts(self):
        for move in self:
            move.ctrl_recv_open_text = format_amount(self.env, move.amount_residual, move.currency_id)
            move.ctrl_recv_due_text = format_date(self.env, move.invoice_date_due) if move.invoice_date_due else ""

    @api.depends_context("lang", "ctrl_escalation_groups")
    def _compute_ctrl_recv_reminder_html(self):
        """A table of the invoices a grouped reminder covers: the group this invoice heads (the context key the
        ladder sets), kept to the same customer and company; this invoice alone otherwise."""
        groups = dict(self.env.context.get("ctrl_escalation_groups") or ())
        row = Markup("<tr><td>%s</td><td>%s</td><td style=\"text-align: right;\">%s</td></tr>")
        head = Markup("<tr><th>%s</th><th>%s</th><th style=\"text-align: right;\">%s</th></tr>") % (
            self.env._("Invoice"), self.env._("Due date"), self.env._("Open amount"))
        for move in self:
            ids = [rid for rid in groups.get(move.id) or () if isinstance(rid, int)]
            listed = self.browse(ids).exists().filtered(
                lambda m, move=move: m.commercial_partner_id == move.commercial_partner_id
                and m.company_id == move.company_id) | move
            rows = Markup("").join(row % (m.name, m.ctrl_recv_due_text, m.ctrl_recv_open_text)
                                   for m in listed.sorted(lambda m: (str(m.invoice_date_due or ""), m.id)))
            move.ctrl_recv_reminder_html = Markup("<table>%s%s</table>") % (head, rows)

    def _compute_ctrl_recv_collection_note(self):
        today = fields.Date.context_today(self)
        candidates = self.filtered(lambda m: m.id and m.move_type == "out_invoice" and m.state == "posted"
                                   and m.payment_state in ("not_paid", "partial"))
        cover = candidates._ctrl_recv_credit_cover(today)
        for move in self:
            row = cover.get((move.commercial_partner_id.id, move.company_id.id)) if move in candidates else None
            if row and row["covered"]:
                currency = move.company_id.currency_id
                move.ctrl_recv_collection_note = self.env._(
                    "Covered by unapplied credits: the customer has %(credits)s of credit notes or payments not yet "
                    "matched against %(overdue)s overdue. Match them to the invoices instead of chasing the customer; "
                    "no reminder, escalation or deduction is made meanwhile.",
                    credits=format_amount(self.env, -row["credits"], currency),
                    overdue=format_amount(self.env, row["overdue"], currency))
            else:
                move.ctrl_recv_collection_note = False

    @api.model
    def _ctrl_recv_cover_sql(self, today, partner_ids=None):
        """SELECT of the receivable position of each customer and company
        that has unapplied credits (company currency): ``credits``
        (unreconciled credit notes, payments and other credits, negative),
        ``overdue`` (unreconciled debits due before ``today``), ``net`` (all
        unreconciled items) and ``covered``: the customer owes nothing overdue
        once its credits are applied (so also when its net receivable is not
        positive). A customer without credits is never covered, so only the
        customers with a negative residual are aggregated: found from Odoo's
        partial index of those lines, they are few, and the query stays far
        from a scan of every open item (it runs for each collection level)."""
        partner_filter = SQL("AND COALESCE(partner.commercial_partner_id, partner.id) = ANY(%s)",
                             list(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """WITH credited AS MATERIALIZED (
                   SELECT DISTINCT COALESCE(credited.commercial_partner_id, credited.id) AS id
                     FROM account_move_line credit
                     JOIN res_partner credited ON credited.id = credit.partner_id
                    WHERE credit.amount_residual < 0 AND credit.parent_state = 'posted'
                      AND credit.reconciled IS NOT TRUE
                      AND credit.account_id IN (
                          SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
               SELECT COALESCE(partner.commercial_partner_id, partner.id) AS partner_id, aml.company_id,
                      COALESCE(SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual < 0), 0) AS credits,
                      COALESCE(SUM(aml.amount_residual) FILTER (
                          WHERE aml.amount_residual > 0 AND COALESCE(aml.date_maturity, aml.date) < %(today)s
                      ), 0) AS overdue,
                      SUM(aml.amount_residual) AS net,
                      (SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual < 0) <= -MAX(currency.rounding) / 2
                       AND SUM(aml.amount_residual) FILTER (
                           WHERE aml.amount_residual < 0 OR COALESCE(aml.date_maturity, aml.date) < %(today)s
                       ) < MAX(currency.rounding) / 2) AS covered
                 FROM account_move_line aml
                 JOIN account_account account ON account.id = aml.account_id
                 JOIN res_partner partner ON partner.id = aml.partner_id
                 JOIN res_company company ON company.id = aml.company_id
                 JOIN res_currency currency ON currency.id = company.currency_id
                WHERE account.account_type = 'asset_receivable' AND aml.parent_state = 'posted'
                  AND aml.reconciled IS NOT TRUE AND aml.amount_residual <> 0 %(partner_filter)s
                  AND COALESCE(partner.commercial_partner_id, partner.id) IN (SELECT id FROM credited)
                  -- The same customers' contacts found from the index, not by reading every contact: that read
                  -- made PostgreSQL start parallel workers in each batch of the ladder (0.2 s a batch).
                  AND aml.partner_id IN (
                      SELECT member.id FROM res_partner member
                       WHERE member.commercial_partner_id IN (SELECT id FROM credited)
                      UNION SELECT id FROM credited)
                GROUP BY 1, 2""",
            today=today, partner_filter=partner_filter)

    def _ctrl_recv_credit_cover(self, today):
        """{(customer id, company id): {credits, overdue, net, covered}} of the
        customers of these invoices."""
        if not self:
            return {}
        self.env["account.move.line"].flush_model(["account_id", "partner_id", "company_id", "parent_state",
                                                   "reconciled", "amount_residual", "date_maturity", "date"])
        rows = self.env.execute_query_dict(self._ctrl_recv_cover_sql(today, self.commercial_partner_id.ids))
        return {(row["partner_id"], row["company_id"]): row for row in rows}

    @api.model
    def _ctrl_recv_covered_moves_sql(self, today):
        """SELECT of the ids of the open customer invoices whose customer owes
        nothing overdue once its unapplied credits are applied."""
        return SQL(
            """SELECT move.id FROM account_move move
                 JOIN (%(cover)s) cover ON cover.partner_id = move.commercial_partner_id
                                       AND cover.company_id = move.company_id AND cover.covered""",
            cover=self._ctrl_recv_cover_sql(today))

    def _ctrl_recv_not_covered(self, today):
        """These invoices less those whose customer's overdue debt is covered
        by unapplied credits: collection acts only on what is owed."""
        cover = self._ctrl_recv_credit_cover(today)
        return self.filtered(lambda m: not cover.get((m.commercial_partner_id.id, m.company_id.id), {}).get("covered"))

    def mail_allowed_qweb_expressions(self):
        # Plain field paths let the collection reminder render without
        # compiling QWeb for every invoice (Odoo's regex fast path).
        return super().mail_allowed_qweb_expressions() + (
            "object.ctrl_recv_open_text", "object.ctrl_recv_due_text", "object.company_id.name",
            "object.ctrl_recv_reminder_html",
            "object.commercial_partner_id.name",
        )

    def _ctrl_escalation_domain(self, ladder):
        domain = super()._ctrl_escalation_domain(ladder)
        if ladder.code in COLLECTION_LADDERS:
            today = fields.Date.context_today(self)
            domain = domain + ["|", ("ctrl_recv_promise_date", "=", False), ("ctrl_recv_promise_date", "<", today)]
            # A customer whose overdue debt is covered by unapplied credit notes or payments owes nothing
            # overdue: no escalation (nor deduction) until the credits are matched or run out.
            self.env["account.move.line"].flush_model(["account_id", "partner_id", "company_id", "parent_state",
                                                       "reconciled", "amount_residual", "date_maturity", "date"])
            domain = domain + [("id", "not in", SQL("(%s)", self._ctrl_recv_covered_moves_sql(today)))]
        return domain

    def _ctrl_escalation_tables(self):
        return super()._ctrl_escalation_tables() + [
            "ctrl_collection_event", "ctrl_recv_accountability", "ctrl_credit_hold", "ctrl_collection_case"]

    def _ctrl_escalation_level_domain(self, level, today):
        """The reminder before the due date (001/AR02.16) goes only to the
        invoices of companies that send one, from their own number of days
        before the due date (the level fires as early as the earliest)."""
        domain = super()._ctrl_escalation_level_domain(level, today)
        if level.callback == "_ctrl_escalation_predue":
            self.env["res.company"].flush_model(["ctrl_recv_predue_days"])
            domain = domain + [("id", "in", SQL(
                """(SELECT m.id FROM account_move m JOIN res_company c ON c.id = m.company_id
                     WHERE c.ctrl_recv_predue_days > 0 AND m.invoice_date_due >= %(today)s
                       AND m.invoice_date_due <= %(today)s + c.ctrl_recv_predue_days
                       AND m.move_type = 'out_invoice')""", today=today))]
        return domain

    def _ctrl_escalation_predue(self, level):
        """The written reminder before the due date went out (the level's mail
        template) and the salesperson has an activity to get the customer's
        payment plan: one event per invoice. The invoice is not in collection:
        its collection level stays empty until it is overdue."""
        kinds = ["predue"] + (["activity"] if level.activity_type_id else [])
        self.env["ctrl.collection.event"].sudo()._ctrl_insert_for_moves(
            [(move_id, kind, None, None, 0.0) for kind in kinds for move_id in self.ids], level)

    def _ctrl_escalation_placed(self, level):
        """Go-live 'place' policy: the invoice shows the collection level it
        reached before the go-live date; no hold, case, deduction or event."""
        if level.callback == "_ctrl_escalation_collection":
            self.flush_recordset(["ctrl_recv_level_id"])
            self.env.cr.execute(SQL("UPDATE account_move SET ctrl_recv_level_id = %s WHERE id = ANY(%s)",
                                    level.id, self.ids))
            self.invalidate_recordset(["ctrl_recv_level_id"])

    def _ctrl_escalation_collection(self, level):
        """Run a collection level's own actions on a batch of invoices: the
        level reached, a hold, a case, a deduction, and one event per action."""
        self.flush_recordset(["ctrl_recv_level_id"])
        self.env.cr.execute(SQL("UPDATE account_move SET ctrl_recv_level_id = %s WHERE id = ANY(%s)",
                                level.id, self.ids))
        self.invalidate_recordset(["ctrl_recv_level_id"])
        # One event per action and invoice: (invoice id, kind, note, case id, amount).
        kinds = ["level"] + [kind for kind, done in (
            ("activity", level.activity_type_id), ("mail", level.mail_template_id),
            ("letter", level.ctrl_recv_letter), ("hold", level.ctrl_recv_hold)) if done]
        events = [(move_id, kind, None, None, 0.0) for kind in kinds for move_id in self.ids]
        if level.ctrl_recv_hold:
            self._ctrl_recv_hold_customers(level)
        if level.ctrl_recv_open_case:
            cases = self.env["ctrl.collection.case"].sudo()._ctrl_open_for(self, level.ctrl_recv_open_case)
            events += [(move.id, "case", None, cases[move.commercial_partner_id].id, 0.0) for move in self]
        if level.ctrl_recv_deduction:
            # Only what the customer owes: no deduction where unapplied credits cover the overdue debt.
            owed = self._ctrl_recv_not_covered(fields.Date.context_today(self))
            entries = self.env["ctrl.recv.accountability"].sudo()._ctrl_deduct(owed, level)
            events += [(move.id, "deduction", None, None, entry.amount) for move, entry in entries.items()]
        self.env["ctrl.collection.event"].sudo()._ctrl_insert_for_moves(events, level)

    def _ctrl_recv_hold_customers(self, level):
        """One collection hold per customer and company (not per invoice),
        created for the whole batch: customers that already have an active
        one are skipped; each new hold is logged on the customer and gives the
        salesperson an activity (as ``ctrl.credit.hold._ctrl_place`` does)."""
        Hold = self.env["ctrl.credit.hold"].sudo()
        for company, first in self._ctrl_recv_new_holds().items():
            new = self.env["res.partner"].union(*first)
            # The note in every language, each reader reads their own.
            notes_in = in_each_lang(self.env, lambda env, first=first, new=new: {
                partner: env._("%(invoice)s reached '%(level)s'.", invoice=first[partner].name,
                               level=level.with_env(env).name) for partner in new})
            notes = notes_in.get(self.env.lang) or next(iter(notes_in.values()))
            # Logged on the customers below, in one batch: no per-hold tracking or followers.
            holds = Hold.with_context(tracking_disable=True).create([{
                "partner_id": partner.id, "company_id": company.id, "reason": "collection",
                "mode": "warn" if Hold._mode_for("collection", partner, company) == "warn" else "block",
                "note": notes[partner],
            } for partner in new])
            write_translations(holds, "note", {lang: {hold.id: by_partner[partner] for partner, hold in zip(new, holds)}
                                               for lang, by_partner in notes_in.items()})
            new._ctrl_log_many({partner.id: self.env._("Credit hold placed: %(hold)s. %(note)s",
                                                       hold=hold.display_name, note=notes[partner])
                                for partner, hold in zip(new, holds)})
            todo = self.env.ref("mail.mail_activity_data_todo")
            self.env["mail.activity"]._ctrl_create_batch([{
                "res_model_id": self.env["ir.model"]._get_id("ctrl.credit.hold"), "res_id": hold.id,
                "activity_type_id": todo.id,
                "user_id": self._ctrl_recv_hold_user(partner, first[partner]).id,
                "summary": self.env._("Credit hold: %(hold)s", hold=hold.display_name),
                "note": Markup("<p>%s</p>") % hold.note,
            } for partner, hold in zip(new, holds)])

    def _ctrl_recv_new_holds(self):
        """{company: {customer: its first invoice here}}: the customers of these
        invoices that have no active collection hold in that company yet."""
        Hold = self.env["ctrl.credit.hold"].sudo()
        result = {}
        for company, moves in self.grouped("company_id").items():
            held = Hold.search([("partner_id", "in", moves.commercial_partner_id.ids), ("company_id", "=", company.id),
                                ("reason", "=", "collection"), ("state", "=", "active")]).partner_id
            first = {}
            for move in moves.filtered(lambda m, held=held: m.commercial_partner_id not in held):
                first.setdefault(move.commercial_partner_id, move)
            if first:
                result[company] = first
        return result

    def _ctrl_recv_hold_user(self, partner, move):
        """Who follows a collection hold up: the customer's salesperson, else
        the invoice's (not the cron's user)."""
        return partner.user_id or move.invoice_user_id or self.env.user

    def _ctrl_escalation_preview(self, level):
        """Go-live preview of a collection level: the customers, the new holds
        (and their activities), the cases opened and the deductions (company
        currency) that ``_ctrl_escalation_collection`` would make."""
        vals = super()._ctrl_escalation_preview(level)
        if level.callback != "_ctrl_escalation_collection":
            return vals
        vals["group_count"] = len({(move.commercial_partner_id.id, move.company_id.id) for move in self})
        # Each new hold and each new case gives someone an activity.
        activity_users = []
        if level.ctrl_recv_hold:
            held = [self._ctrl_recv_hold_user(partner, move).id
                    for first in self._ctrl_recv_new_holds().values() for partner, move in first.items()]
            vals["ctrl_recv_hold_count"] = len(held)
            activity_users += held
        if level.ctrl_recv_open_case:
            opened = self.env["ctrl.collection.case"].sudo()._ctrl_missing_for(self, level.ctrl_recv_open_case)
            vals["ctrl_recv_case_count"] = len(opened)
            activity_users += [(move.invoice_user_id or self.env.user).id for _partner, move in opened]
        vals.update(activity_count=len(activity_users), user_ids=activity_users)
        if level.ctrl_recv_deduction:
            owed = self._ctrl_recv_not_covered(fields.Date.context_today(self))
            entries = self.env["ctrl.recv.accountability"].sudo()._ctrl_deduction_vals(owed, level)[0]
            vals.update(ctrl_recv_deduction_count=len(entries),
                        ctrl_recv_deduction_amount=sum(entry["amount"] for entry in entries))
        return vals

    def _ctrl_escalation_advance(self, code, note):
        """Escalate at once to the next level of ladder ``code`` (a broken
        promise): claimed like any step, so it runs once."""
        ladder = self.env["ctrl.escalation.ladder"]._for(code)
        if not ladder:
            return
        today = fields.Date.context_today(self)
        reached = self._ctrl_escalation_level(code)
        # Only the levels after the due date: an overdue invoice is never sent the reminder before it.
        levels = ladder.level_ids.filtered(lambda lv: lv.days > 0).sorted(lambda lv: lv._rank())
        for move in self._ctrl_recv_not_covered(today):
            current = reached.get(move.id)
            following = levels.filtered(lambda lv, cur=current: not cur or lv._rank() > cur._rank())[:1]
            if not following or not ladder._claim(following, move.ids):
                continue
            steps = self.env["ctrl.escalation.step"].sudo().search([
                ("level_id", "=", following.id), ("res_model", "=", self._name), ("res_id", "=", move.id)])
            steps.message = note
            ladder._execute_safely(following, move, steps, today)

    # Scheduled action ------------------------------------------------------
    @api.model
    def _cron_collection_escalation(self):
        """Daily: settle promises, lift holds that lost their cause and refund
        deductions (once a day), mail the monthly overdue lists (one per call
        until none is left), move the D13 states and suspend customers (in
        batches), then one batch of the collection ladders. ``ir.cron``
        commits and calls again while work remains."""
        today = fields.Date.context_today(self)
        if not self.env["res.company"]._ctrl_live_companies():
            return
        Param = self.env["ir.config_parameter"].sudo()
        if Param.get_param("ctrl_receivable.collection_daily") != today.isoformat():
            self.env["ctrl.collection.promise"]._ctrl_settle_due(today)
            self._ctrl_recv_lift_paid_holds(today)
            self.env["ctrl.recv.accountability"]._ctrl_refund_recovered()
            Param.set_param("ctrl_receivable.collection_daily", today.isoformat())
        # The lists have a gate of their own: it closes only once no list is left for today.
        lists_done = lists_remaining = 0
        if Param.get_param("ctrl_receivable.overdue_lists_daily") != today.isoformat():
            lists_done, lists_remaining = self.env["ctrl.collection.event"]._ctrl_send_overdue_lists(today)
            if not lists_remaining:
                Param.set_param("ctrl_receivable.overdue_lists_daily", today.isoformat())
        try:
            with self.env.cr.savepoint():
                d13_done, d13_remaining = self._ctrl_recv_update_d13(today)
        except TRANSIENT_ERRORS:
            # A user changed one of these invoices after this call's snapshot: the next call, with a new
            # snapshot, moves it (the same retry as the escalation engine's).
            d13_done, d13_remaining = 0, 1
        done, remaining = self.env["ctrl.escalation.ladder"]._cron_run(
            list(COLLECTION_LADDERS) + ["problem_case", "legal_limitation"])
        if d13_remaining or lists_remaining:
            self.env["ir.cron"]._notify_progress(done=done + d13_done + lists_done,
                                                 remaining=remaining + d13_remaining + lists_remaining)

    @api.model
    def _ctrl_recv_d13_sql(self, today):
        """The D13 state an open customer invoice is due to be in at ``today``."""
        fifth = SQL("(date_trunc('month', move.invoice_date_due) + interval '1 month 4 days')::date")
        return SQL("""CASE WHEN %(fifth)s + interval '1 month' <= %(today)s THEN 'collection'
                           WHEN %(fifth)s <= %(today)s THEN 'unpaid' END""", fifth=fifth, today=today)

    @api.model
    def _ctrl_recv_d13_due_sql(self, today, companies=None, current=None):
        """SELECT of the open invoices (of ``companies``, default all) whose
        D13 state is due to change at ``today``: ``id`` and the new ``state``.
        ``current``: only those in that state ('none' or 'unpaid')."""
        in_companies = SQL("AND move.company_id = ANY(%s)", companies.ids) if companies is not None else SQL()
        # The 5th of the month after the due date has come for what fell due before the first of the month
        # of today - 4 days, and the 5th a month later for what fell due a month earlier. These ranges,
        # implied by the state's CASE, let PostgreSQL read only the due invoices from the index.
        unpaid_before = (today - relativedelta(days=4)).replace(day=1)
        ranges = {
            "none": SQL("move.ctrl_recv_d13_state IS NULL AND move.invoice_date_due < %s", unpaid_before),
            "unpaid": SQL("move.ctrl_recv_d13_state = 'unpaid' AND move.invoice_date_due < %s",
                          unpaid_before - relativedelta(months=1)),
        }
        in_range = ranges[current] if current else SQL("((%s) OR (%s))", ranges["none"], ranges["unpaid"])
        return SQL(
            """SELECT move.id, %(state)s AS state FROM account_move move
                WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
                  AND move.payment_state IN ('not_paid', 'partial') AND %(in_range)s
                  AND %(state)s IS DISTINCT FROM move.ctrl_recv_d13_state AND %(state)s IS NOT NULL
                  AND %(live)s %(in_companies)s""",
            state=self._ctrl_recv_d13_sql(today), in_companies=in_companies, in_range=in_range,
            # Go-live: none for a company whose controls are off, nor for invoices due before its go-live date.
            live=self.env["res.company"]._ctrl_live_sql(SQL("move.company_id"), SQL("move.invoice_date_due")))

    @api.model
    def _ctrl_recv_update_d13(self, today, limit=None, companies=None):
        """003/D13 R13.1-R13.7 in set-based SQL: move at most ``limit`` open
        invoices (of ``companies``, default all) to unpaid / under collection,
        clear paid ones, then suspend at most ``limit`` customers whose invoice
        has been under collection for the company's suspension days.
        Idempotent: only changes move. Returns (invoices moved plus customers
        suspended, what is left of both; invoices counted up to a few batches)."""
        limit = limit or int(self.env["ir.config_parameter"].sudo().get_param(
            "ctrl_base.escalation_batch_size", 1000))
        self.flush_model(["ctrl_recv_d13_state", "ctrl_recv_d13_since", "payment_state", "invoice_date_due"])
        in_companies = SQL("AND move.company_id = ANY(%s)", companies.ids) if companies is not None else SQL()
        changed = []
        # One state at a time, in due date order: each batch is a range of the index.
        for current in ("none", "unpaid"):
            if len(changed) >= limit:
                break
            self.env.cr.execute(SQL(
                """
                WITH target AS (%(due)s ORDER BY move.invoice_date_due, move.id LIMIT %(limit)s
                                FOR NO KEY UPDATE SKIP LOCKED)
                UPDATE account_move move SET ctrl_recv_d13_state = target.state, ctrl_recv_d13_since = %(today)s
                  FROM target
                 WHERE move.id = target.id
                RETURNING move.id, target.state
                """, due=self._ctrl_recv_d13_due_sql(today, companies, current), limit=limit - len(changed),
                today=today))
            changed += self.env.cr.fetchall()
        self.env.cr.execute(SQL(
            "UPDATE account_move move SET ctrl_recv_d13_state = NULL, ctrl_recv_d13_since = NULL WHERE %s %s",
            SQL(D13_CLEAR_SQL), in_companies))
        self.invalidate_model(["ctrl_recv_d13_state", "ctrl_recv_d13_since"])
        if changed:
            self.env["ctrl.collection.event"].sudo()._ctrl_insert_for_moves(
                [(move_id, "d13", dict(D13_STATES)[state], None, 0.0) for move_id, state in changed])
            self.browse([move_id for move_id, state in changed if state == "collection"]).sudo() \
                ._ctrl_recv_report_collection()
        # A batch that was not full took the last of them. Counted per state: each is a range of its index,
        # where both states in one query read every invoice (0.34 s a call at a million invoices).
        remaining = sum(
            self.env.execute_query(remaining_sql(self._ctrl_recv_d13_due_sql(today, companies, current), limit))[0][0]
            for current in ("none", "unpaid")) if len(changed) >= limit else 0
        suspended, to_suspend = self._ctrl_recv_suspend(today, companies, limit)
        return len(changed) + suspended, remaining + to_suspend

    def _ctrl_recv_report_collection(self):
        """R13.5: the sales manager reports reasons and measures to the deputy
        GM within 3 days of an invoice becoming 催收款: the invoice's sales
        team leader, else its salesperson (read in one statement: a thousand
        invoices a call)."""
        if not self:
            return
        self.flush_recordset(["team_id", "invoice_user_id"])
        self.env["crm.team"].flush_model(["user_id"])
        manager_of = dict(self.env.execute_query(SQL(
            """SELECT move.id, COALESCE(team.user_id, move.invoice_user_id) FROM account_move move
                 LEFT JOIN crm_team team ON team.id = move.team_id WHERE move.id = ANY(%s)""", self.ids)))
        admin = self.env.ref("base.user_admin").id
        values = {
            "res_model_id": self.env["ir.model"]._get_id("account.move"),
            "activity_type_id": self.env.ref("ctrl_base.mail_activity_type_escalation").id,
            "date_deadline": fields.Date.context_today(self) + relativedelta(days=3),
            "summary": _("Under collection: report reasons and measures to the deputy GM"),
        }
        self.env["mail.activity"]._ctrl_create_batch([
            dict(values, res_id=move_id, user_id=manager_of[move_id] or admin) for move_id in self.ids])

    @api.model
    def _ctrl_recv_suspension_due_sql(self, today, companies=None):
        """SELECT, per customer and company, of the open invoices still under
        collection after their company's suspension days: ``invoices`` (how
        many), ``oldest_id`` (the oldest by due date) and ``crossed`` (the last
        day one of them crossed the suspension days)."""
        return SQL(
            """SELECT move.commercial_partner_id AS partner_id, move.company_id, count(*) AS invoices,
                      (array_agg(move.id ORDER BY move.invoice_date_due, move.id))[1] AS oldest_id,
                      max(move.ctrl_recv_d13_since + company.ctrl_recv_suspension_days) AS crossed
                 FROM account_move move
                 JOIN res_company company ON company.id = move.company_id
                WHERE move.ctrl_recv_d13_state = 'collection' AND move.move_type = 'out_invoice'
                  AND move.state = 'posted' AND move.payment_state IN ('not_paid', 'partial')
                  AND move.ctrl_recv_d13_since <= %(today)s - company.ctrl_recv_suspension_days
                  AND move.ctrl_recv_d13_since <= %(today)s - (SELECT min(ctrl_recv_suspension_days)
                                                                FROM res_company)
                  %(in_companies)s
                GROUP BY move.commercial_partner_id, move.company_id""",
            today=today,
            in_companies=SQL("AND move.company_id = ANY(%s)", companies.ids) if companies is not None else SQL())

    @api.model
    def _ctrl_recv_suspend(self, today, companies=None, limit=None):
        """R13.7: an invoice still under collection after its company's
        suspension days (30 by default) suspends sales to the customer: one
        hold per customer and company, whatever the number of invoices, placed
        for at most ``limit`` customers at once. A customer already suspended
        is left alone, and so is one whose suspension was released by approval
        after the last of its invoices crossed the suspension days (the
        release covers them; a later invoice suspends again). Customers whose
        overdue debt is covered by unapplied credits are not suspended.
        Returns (customers suspended, customers left to suspend)."""
        limit = limit or int(self.env["ir.config_parameter"].sudo().get_param(
            "ctrl_base.escalation_batch_size", 1000))
        Hold = self.env["ctrl.credit.hold"].sudo()
        Hold.flush_model()
        self.env["ctrl.approval.request"].flush_model(["res_model", "res_id", "kind", "state"])
        self.env["res.company"].flush_model(["ctrl_recv_suspension_days"])
        self.flush_model(["ctrl_recv_d13_state", "ctrl_recv_d13_since", "payment_state", "state",
                          "commercial_partner_id", "company_id", "invoice_date_due"])
        # One worker suspends at a time (until its commit); another one leaves the suspensions to it.
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, 0)", SUSPENSION_LOCK))
        if not self.env.cr.fetchone()[0]:
            return 0, 0
        rows = self._ctrl_recv_suspension_candidates(today, companies)
        batch = rows[:limit]
        if batch:
            self._ctrl_recv_place_suspensions(today, batch)
        return len(batch), len(rows) - len(batch)

    @api.model
    def _ctrl_recv_suspension_candidates(self, today, companies=None):
        """The customers (rows of ``_ctrl_recv_suspension_due_sql``) that
        ``_ctrl_recv_suspend`` would suspend at ``today``: not suspended yet,
        not released since, not covered by unapplied credits."""
        rows = self.env.execute_query_dict(SQL(
            """SELECT due.* FROM (%(due)s) due
                WHERE NOT EXISTS (
                      SELECT 1 FROM ctrl_credit_hold hold
                       WHERE hold.partner_id = due.partner_id AND hold.company_id = due.company_id
                         AND hold.reason = 'd13_suspension'
                         AND (hold.state = 'active'
                              OR (hold.date_lifted >= due.crossed AND EXISTS (
                                  SELECT 1 FROM ctrl_approval_request request
                                   WHERE request.res_model = 'ctrl.credit.hold' AND request.res_id = hold.id
                                     AND request.kind = 'hold_release' AND request.state = 'approved'))))
                ORDER BY due.partner_id, due.company_id""",
            due=self._ctrl_recv_suspension_due_sql(today, companies)))
        if rows:
            self.env["account.move.line"].flush_model(["account_id", "partner_id", "company_id", "parent_state",
                                                       "reconciled", "amount_residual", "date_maturity", "date"])
            covered = {(row["partner_id"], row["company_id"]) for row in self.env.execute_query_dict(
                self._ctrl_recv_cover_sql(today, {row["partner_id"] for row in rows})) if row["covered"]}
            rows = [row for row in rows if (row["partner_id"], row["company_id"]) not in covered]
        return rows

    @api.model
    def _ctrl_recv_place_suspensions(self, today, rows):
        """Create the suspension holds of ``rows`` (from
        ``_ctrl_recv_suspend``) at once: one create, one log on the
        customers, one batch of activities and one event per invoice."""
        Hold = self.env["ctrl.credit.hold"].sudo()
        oldest = {move.id: move for move in self.sudo().browse([row["oldest_id"] for row in rows])}
        for company_id, company_rows in groupby(sorted(rows, key=itemgetter("company_id")),
                                                key=itemgetter("company_id")):
            company_rows = list(company_rows)
            company = self.env["res.company"].browse(company_id)
            days = company.ctrl_recv_suspension_days
            partners = self.env["res.partner"].browse([row["partner_id"] for row in company_rows])
            notes_in = in_each_lang(self.env, lambda env, rows=company_rows, days=days: [
                env._("%(invoice)s is still under collection %(days)s days on: sales to the customer "
                      "are suspended.", invoice=oldest[row["oldest_id"]].name, days=days)
                if row["invoices"] == 1 else
                env._("%(count)s invoices are still under collection %(days)s days on (the oldest: "
                      "%(invoice)s): sales to the customer are suspended.", count=row["invoices"],
                      invoice=oldest[row["oldest_id"]].name, days=days)
                for row in rows])
            notes = notes_in.get(self.env.lang) or next(iter(notes_in.values()))
            # Logged on the customers below, in one batch: no per-hold tracking or followers.
            holds = Hold.with_context(tracking_disable=True).create([{
                "partner_id": row["partner_id"], "company_id": company_id, "reason": "d13_suspension",
                "mode": "warn" if Hold._mode_for("d13_suspension", partner, company) == "warn" else "block",
                "note": note, "res_model": self._name, "res_id": row["oldest_id"],
            } for row, note, partner in zip(company_rows, notes, partners)])
            write_translations(holds, "note", {lang: dict(zip(holds.ids, texts)) for lang, texts in notes_in.items()})
            holds.partner_id._ctrl_log_many({
                hold.partner_id.id: self.env._("Credit hold placed: %(hold)s. %(note)s", hold=hold.display_name,
                                               note=hold.note)
                for hold in holds})
            self.env["mail.activity"]._ctrl_create_batch([{
                "res_model_id": self.env["ir.model"]._get_id("ctrl.credit.hold"), "res_id": hold.id,
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": self._ctrl_recv_hold_user(hold.partner_id, oldest[hold.res_id]).id,
                "summary": self.env._("Credit hold: %(hold)s", hold=hold.display_name),
                "note": Markup("<p>%s</p>") % hold.note,
            } for hold in holds])
        # One event per invoice of the suspended customers, in SQL: a customer may have thousands.
        self.env["ctrl.collection.event"].flush_model()
        self.env.cr.execute(SQL(
            """INSERT INTO ctrl_collection_event (kind, date, move_id, partner_id, user_id, company_id, amount, note,
                                                  create_uid, create_date, write_uid, write_date)
               SELECT 'hold', %(today)s, move.id, move.commercial_partner_id, move.invoice_user_id, move.company_id,
                      0, %(note)s, %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                 FROM account_move move
                 JOIN res_company company ON company.id = move.company_id
                 JOIN unnest(%(partners)s::int[], %(companies)s::int[]) AS held(partner_id, company_id)
                   ON held.partner_id = move.commercial_partner_id AND held.company_id = move.company_id
                WHERE move.ctrl_recv_d13_state = 'collection' AND move.move_type = 'out_invoice'
                  AND move.state = 'posted' AND move.payment_state IN ('not_paid', 'partial')
                  AND move.ctrl_recv_d13_since <= %(today)s - company.ctrl_recv_suspension_days""",
            today=today, note=self.env._("Sales suspended (invoice under collection)"), uid=self.env.uid,
            partners=[row["partner_id"] for row in rows], companies=[row["company_id"] for row in rows]))
        self.env["ctrl.collection.event"].invalidate_model()
        self.invalidate_model(["ctrl_recv_event_ids"])

    @api.model
    def _ctrl_recv_lift_paid_holds(self, today=None):
        """Holds that lost their cause are lifted: a suspension whose customer
        has no open invoice under collection past the suspension days any
        more (also the former one-per-invoice suspensions), a collection hold
        whose customer has no open invoice left at a holding level."""
        today = today or fields.Date.context_today(self)
        Hold = self.env["ctrl.credit.hold"].sudo()
        Hold.flush_model(["state", "reason", "partner_id", "company_id"])
        self.env["res.company"].flush_model(["ctrl_recv_suspension_days"])
        self.flush_model(["ctrl_recv_d13_state", "ctrl_recv_d13_since", "payment_state", "state",
                          "commercial_partner_id", "company_id", "invoice_date_due"])
        ended = self.env.execute_query(SQL(
            """SELECT hold.id FROM ctrl_credit_hold hold
                WHERE hold.state = 'active' AND hold.reason = 'd13_suspension'
                  AND NOT EXISTS (SELECT 1 FROM (%(due)s) due
                                   WHERE due.partner_id = hold.partner_id AND due.company_id = hold.company_id)
                ORDER BY hold.id""", due=self._ctrl_recv_suspension_due_sql(today)))
        Hold.browse([hold_id for hold_id, in ended])._ctrl_lift(
            _("No invoice of the customer is still under collection past the suspension days."))
        collection = Hold.search([("state", "=", "active"), ("reason", "=", "collection")])
        if not collection:
            return
        still_held = {(partner.id, company.id) for partner, company in self.sudo()._read_group(
            [("commercial_partner_id", "in", collection.partner_id.ids), ("move_type", "=", "out_invoice"),
             ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial")),
             ("ctrl_recv_level_id.ctrl_recv_hold", "=", True)],
            ["commercial_partner_id", "company_id"])}
        for hold in collection.filtered(lambda h: (h.partner_id.id, h.company_id.id) not in still_held):
            hold._ctrl_lift(_("No open invoice of the customer is at a holding level any more."))

    # Printing ----------------------------------------------------------------
    def action_ctrl_recv_print_letter(self):
        return self.env.ref("ctrl_receivable.action_report_collection_letter").report_action(self)

    def action_ctrl_recv_promise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Promise to pay %(invoice)s", invoice=self.name),
            "res_model": "ctrl.collection.promise", "view_mode": "form", "target": "new",
            "context": {"default_move_id": self.id, "default_amount": self.amount_residual},
        }
