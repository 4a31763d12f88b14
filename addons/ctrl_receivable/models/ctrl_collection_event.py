# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import SQL, format_date

# Rows of an overdue list read at a time.
XLSX_CHUNK = 5000

EVENT_KINDS = [
    ("level", "Level reached"), ("activity", "Activity scheduled"), ("mail", "Reminder mailed"),
    ("predue", "Reminded before the due date"),
    ("letter", "Reminder letter due"), ("hold", "Customer held"), ("case", "Case opened"),
    ("deduction", "Deduction"), ("promise", "Promise to pay"), ("promise_kept", "Promise kept"),
    ("promise_broken", "Promise broken"), ("d13", "Collection state"), ("overdue_list", "Overdue list sent"),
]


class CtrlCollectionEvent(models.Model):
    """One step of the collection of an invoice, written by the scheduled
    action (and shown on the invoice). Events are a log written by the
    thousand: no chatter, and nobody edits them."""

    _name = "ctrl.collection.event"
    _inherit = ["ctrl.bulk.mixin"]
    _description = "Collection Event"
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True, index=True)
    kind = fields.Selection(EVENT_KINDS, required=True, readonly=True, index=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True, index="btree_not_null", ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one("ctrl.escalation.level", "Level", readonly=True)
    case_id = fields.Many2one("ctrl.collection.case", "Case", readonly=True, index="btree_not_null")
    amount = fields.Monetary(readonly=True)
    period = fields.Char(readonly=True, help="Month of a monthly list (YYYY-MM).")
    note = fields.Char(readonly=True)

    def init(self):
        # One overdue list per salesperson, company and month, whoever runs the cron.
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS ctrl_collection_event_list_uniq
                               ON ctrl_collection_event (company_id, user_id, period) WHERE kind = 'overdue_list'""")

    @api.model
    def _vals(self, move, kind, level=None, case=None, amount=0.0, note=None):
        return {
            "kind": kind, "move_id": move.id, "partner_id": move.commercial_partner_id.id,
            "user_id": move.invoice_user_id.id, "company_id": move.company_id.id,
            "level_id": level.id if level else False, "case_id": case.id if case else False,
            "amount": amount, "note": note or (level.name if level else False),
        }

    @api.model
    def _ctrl_insert_for_moves(self, rows, level=None):
        """Insert the events of invoices in one statement, each with the
        invoice's customer, salesperson and company as ``_vals`` gives them,
        read by PostgreSQL instead of record by record: ``rows`` are
        (invoice id, kind, note, case id, amount); an empty note is the
        level's name. For the scheduled action's thousands of events."""
        if not rows:
            return
        self.env["account.move"].flush_model(["commercial_partner_id", "invoice_user_id", "company_id"])
        moves, kinds, notes, cases, amounts = (list(column) for column in zip(*rows))
        default_note = level.name if level else None
        self.env.cr.execute(SQL(
            """INSERT INTO ctrl_collection_event (date, kind, move_id, partner_id, user_id, company_id, level_id,
                                                  case_id, amount, note, create_uid, create_date, write_uid,
                                                  write_date)
               SELECT %(today)s, event.kind, move.id, move.commercial_partner_id, move.invoice_user_id,
                      move.company_id, %(level)s, event.case_id, event.amount, COALESCE(event.note, %(note)s),
                      %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                 FROM unnest(%(moves)s::int[], %(kinds)s::varchar[], %(notes)s::varchar[], %(cases)s::int[],
                             %(amounts)s::numeric[]) WITH ORDINALITY AS event(move_id, kind, note, case_id, amount, n)
                 JOIN account_move move ON move.id = event.move_id
                ORDER BY event.n""",
            today=fields.Date.context_today(self), level=level.id if level else None, note=default_note,
            uid=self.env.uid, moves=moves, kinds=kinds, notes=[note or None for note in notes],
            cases=[case or None for case in cases], amounts=[amount or 0.0 for amount in amounts]))
        self._ctrl_invalidate_inverses(["move_id", "partner_id", "user_id", "company_id", "level_id", "case_id"])

    # R13.1-R13.2: the monthly overdue list -------------------------------------
    @api.model
    def _ctrl_overdue_sql(self, today, company_sql, user_sql):
        """WHERE condition of a salesperson's overdue invoices (the open
        customer invoices due before ``today``) of a company whose internal
        controls are active."""
        return SQL(
            """move.move_type = 'out_invoice' AND move.state = 'posted' AND move.company_id = %(company)s
               AND move.invoice_user_id = %(user)s AND move.payment_state IN ('not_paid', 'partial')
               AND move.invoice_date_due < %(today)s AND %(live)s""",
            company=company_sql, user=user_sql, today=today,
            live=self.env["res.company"]._ctrl_live_sql(SQL("move.company_id")))

    @api.model
    def _ctrl_send_overdue_lists(self, today, limit=1):
        """From the 5th of each month, once per salesperson and company: mail
        the list of their overdue invoices (XLSX) and ask for reasons,
        measures and promised dates within 3 days. At most ``limit`` lists a
        call (a list of fifty thousand invoices is a few seconds' work): the
        scheduled action calls again while lists remain. A list is claimed
        by its unique event, so it is sent once whoever runs the call.
        Returns (lists sent, lists left to send)."""
        if today.day < 5:
            return 0, 0
        period = today.strftime("%Y-%m")
        self.env["account.move"].flush_model(["move_type", "state", "company_id", "invoice_user_id",
                                              "payment_state", "invoice_date_due"])
        self.flush_model(["kind", "company_id", "user_id", "period"])
        pending = self.env.execute_query(SQL(
            """SELECT owner.company_id, owner.user_id, owner.invoices
                 FROM (SELECT move.company_id, move.invoice_user_id AS user_id, count(*) AS invoices
                         FROM account_move move
                        WHERE move.invoice_user_id IS NOT NULL
                          AND %(overdue)s
                        GROUP BY move.company_id, move.invoice_user_id) owner
                WHERE NOT EXISTS (SELECT 1 FROM ctrl_collection_event sent
                                   WHERE sent.kind = 'overdue_list' AND sent.company_id = owner.company_id
                                     AND sent.user_id = owner.user_id AND sent.period = %(period)s)
                ORDER BY owner.company_id, owner.user_id""",
            overdue=self._ctrl_overdue_sql(today, SQL("move.company_id"), SQL("move.invoice_user_id")),
            period=period))
        sent = tried = 0
        for company_id, user_id, invoices in pending:
            if sent >= limit:
                break
            tried += 1
            self.env.cr.execute(SQL(
                """INSERT INTO ctrl_collection_event (kind, date, company_id, user_id, period, create_uid,
                                                      create_date, write_uid, write_date)
                   VALUES ('overdue_list', %s, %s, %s, %s, %s, now() at time zone 'utc', %s,
                           now() at time zone 'utc')
                   ON CONFLICT DO NOTHING RETURNING id""",
                today, company_id, user_id, period, self.env.uid, self.env.uid))
            row = self.env.cr.fetchone()
            if row:
                self.sudo().browse(row[0])._ctrl_mail_overdue_list(self.env["res.users"].browse(user_id), invoices)
                sent += 1
        return sent, len(pending) - tried

    def _ctrl_mail_overdue_list(self, user, count):
        """Mail ``user`` the list of their ``count`` overdue invoices in this
        event's company and ask for the reasons within 3 days."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].sudo().create({
            "name": f"overdue-{self.period}-{user.login}.xlsx", "type": "binary",
            "raw": self._ctrl_overdue_xlsx(self.company_id, user, self.date),
            "res_model": self._name, "res_id": self.id,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        self.env["mail.mail"].sudo().create({
            "subject": _("Your overdue invoices (%(period)s)", period=self.period),
            "email_to": user.email_formatted, "recipient_ids": [(4, user.partner_id.id)],
            "body_html": _("<p>%(count)s of your invoices are overdue. Within 3 days, give your market manager "
                           "the reasons, your measures and a promised date for each.</p>",
                           count=count),
            "attachment_ids": [(4, attachment.id)],
        })
        # The reply is the salesperson's to give: the activity sits on their contact.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create({
            "res_model_id": self.env["ir.model"]._get_id("res.partner"), "res_id": user.partner_id.id,
            "user_id": user.id,
            "activity_type_id": self.env.ref("ctrl_base.mail_activity_type_escalation").id,
            "date_deadline": self.date + relativedelta(days=3),
            "summary": _("Explain your %(count)s overdue invoices and promise dates",
                         count=count),
        })
        self.note = _("%(count)s overdue invoices", count=count)

    @api.model
    def _ctrl_overdue_xlsx(self, company, user, today, chunk=XLSX_CHUNK):
        """The XLSX of ``user``'s overdue invoices in ``company`` at ``today``,
        oldest due first, built as a stream: rows read in chunks by key, and
        written to the sheet one by one (constant memory), so that a list of
        fifty thousand invoices loads no recordset."""
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"constant_memory": True})
        sheet = book.add_worksheet(_("Overdue"))
        money = book.add_format({"num_format": "#,##0.00"})
        headers = [_("Invoice"), _("Customer"), _("Due date"), _("Days overdue"), _("Open amount"),
                   _("Collection state"), _("Reason"), _("Measures"), _("Promised date")]
        for col, header in enumerate(headers):
            sheet.write(0, col, header)
        states = dict(self.env["account.move"]._fields["ctrl_recv_d13_state"]._description_selection(self.env))
        overdue = self._ctrl_overdue_sql(today, company.id, user.id)
        row, after = 0, SQL()
        while True:
            self.env.cr.execute(SQL(
                """SELECT move.id, move.name, COALESCE(partner.complete_name, partner.name), move.invoice_date_due,
                          move.amount_residual_signed, move.ctrl_recv_d13_state
                     FROM account_move move
                     LEFT JOIN res_partner partner ON partner.id = move.partner_id
                    WHERE %(overdue)s %(after)s
                    ORDER BY move.invoice_date_due, move.id
                    LIMIT %(chunk)s""",
                overdue=overdue, after=after, chunk=chunk))
            rows = self.env.cr.fetchall()
            for _id, name, customer, due, amount, state in rows:
                row += 1
                sheet.write(row, 0, name)
                sheet.write(row, 1, customer or "")
                sheet.write(row, 2, str(due))
                sheet.write(row, 3, (today - due).days)
                sheet.write(row, 4, amount, money)
                sheet.write(row, 5, states.get(state, ""))
            if len(rows) < chunk:
                break
            after = SQL("AND (move.invoice_date_due, move.id) > (%s, %s)", rows[-1][3], rows[-1][0])
        book.close()
        return output.getvalue()

    @api.depends("kind", "move_id.name", "partner_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = " - ".join(filter(None, [
                kinds.get(event.kind), event.move_id.name or event.partner_id.name,
                format_date(self.env, event.date) if event.date else ""]))
