# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Commercial acceptance bills (商业承兑汇票) received from customers
(001/AR02.6, AR16.8: a commercial acceptance bill is managed as a receivable).

Receiving a bill settles the invoices it pays (Dr bills receivable / Cr the
customer's receivable, reconciled with them), but the customer's credit risk
stays until the acceptor pays at maturity: held, endorsed and discounted bills
count in the credit exposure (ledger column ``bills``) until collected. A
dishonoured bill reopens the debt as a receivable due at the bill's maturity.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

BILL_STATES = [
    ("draft", "Draft"),
    ("held", "Held"),
    ("endorsed", "Endorsed"),
    ("discounted", "Discounted"),
    ("collected", "Collected"),
    ("dishonoured", "Dishonoured"),
    ("cancel", "Cancelled"),
]
# The states in which the bill is still the customer's risk: counted in the credit exposure.
EXPOSED_STATES = ("held", "endorsed", "discounted")


class CtrlCreditBill(models.Model):
    _name = "ctrl.credit.bill"
    _description = "Commercial Acceptance Bill"
    _inherit = ["mail.thread", "ctrl.lifecycle.mixin"]
    _order = "maturity_date desc, id desc"
    _check_company_auto = True
    _ctrl_sequence_code = "ctrl.credit.bill"
    _ctrl_content_fields = ("partner_id", "company_id", "currency_id", "amount", "drawer", "acceptor",
                            "bill_number", "issue_date", "maturity_date", "receipt_date", "invoice_ids")
    _ctrl_protected_fields = ("amount_company", "receipt_move_id", "transfer_move_id", "collect_move_id",
                              "dishonour_move_id", "cancel_move_id", "done_date")
    # What the next operation uses: editable while the bill is still out (held, endorsed or discounted).
    _ctrl_operation_fields = ("operation_date", "bank_journal_id", "endorsee_id", "discount_interest")

    name = fields.Char("Reference", default="/", readonly=True, copy=False, tracking=True)
    state = fields.Selection(BILL_STATES, default="draft", required=True, readonly=True, copy=False,
                             tracking=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]",
        help="The customer who handed over the bill (the company, not a contact).")
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    amount = fields.Monetary(required=True, tracking=True, help="Face value of the bill.")
    amount_company = fields.Monetary(
        "Amount in company currency", currency_field="company_currency_id", readonly=True, copy=False,
        help="Face value at the rate of the receipt date; what the bill adds to the customer's credit exposure.")
    bill_number = fields.Char("Bill number", required=True, tracking=True, copy=False)
    drawer = fields.Char(tracking=True, help="Who issued the bill (usually the customer).")
    acceptor = fields.Char(required=True, tracking=True, help="Who accepted the bill and pays it at maturity.")
    issue_date = fields.Date("Issue date", required=True)
    maturity_date = fields.Date("Maturity date", required=True, tracking=True, index=True)
    receipt_date = fields.Date("Receipt date", required=True, default=fields.Date.context_today, tracking=True)
    invoice_ids = fields.Many2many(
        "account.move", "ctrl_credit_bill_invoice_rel", "bill_id", "move_id", "Invoices paid", check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
               "('commercial_partner_id', '=', partner_id), ('payment_state', 'in', ('not_paid', 'partial'))]")
    # The next operation's data.
    operation_date = fields.Date(
        "Operation date", default=fields.Date.context_today,
        help="Date of the next operation's entry (endorsement, discount, collection or dishonour).")
    bank_journal_id = fields.Many2one(
        "account.journal", "Bank journal", check_company=True, domain="[('type', 'in', ('bank', 'cash'))]",
        help="Where the bill is collected or discounted.")
    endorsee_id = fields.Many2one("res.partner", "Endorsed to", check_company=True, tracking=True,
                                  help="The supplier the bill is endorsed to, in payment of what we owe them.")
    discount_interest = fields.Monetary("Discount interest", help="Interest the bank keeps when discounting.")
    # What the operations posted.
    receipt_move_id = fields.Many2one("account.move", "Receipt entry", readonly=True, copy=False, check_company=True)
    transfer_move_id = fields.Many2one("account.move", "Endorsement or discount entry", readonly=True, copy=False,
                                       check_company=True)
    collect_move_id = fields.Many2one("account.move", "Collection entry", readonly=True, copy=False,
                                      check_company=True)
    dishonour_move_id = fields.Many2one("account.move", "Dishonour entry", readonly=True, copy=False,
                                        check_company=True)
    cancel_move_id = fields.Many2one("account.move", "Cancellation entry", readonly=True, copy=False,
                                     check_company=True)
    done_date = fields.Date("Closed on", readonly=True, copy=False,
                            help="When the bill was collected, dishonoured or cancelled.")
    move_count = fields.Integer("Entries", compute="_compute_move_count")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "The amount of a bill must be positive."),
        ("interest_not_negative", "CHECK(discount_interest IS NULL OR discount_interest >= 0)",
         "The discount interest cannot be negative."),
    ]

    def _ctrl_moves(self):
        self.ensure_one()
        return (self.receipt_move_id | self.transfer_move_id | self.collect_move_id | self.dishonour_move_id
                | self.cancel_move_id)

    @api.depends("receipt_move_id", "transfer_move_id", "collect_move_id", "dishonour_move_id", "cancel_move_id")
    def _compute_move_count(self):
        for bill in self:
            bill.move_count = len(bill._ctrl_moves())

    @api.constrains("issue_date", "maturity_date")
    def _check_dates(self):
        for bill in self:
            if bill.issue_date and bill.maturity_date and bill.maturity_date < bill.issue_date:
                raise ValidationError(_("Bill %(bill)s: the maturity date must not be before the issue date.",
                                        bill=bill.display_name))

    @api.constrains("partner_id")
    def _check_partner(self):
        for bill in self:
            if bill.partner_id != bill.partner_id.commercial_partner_id:
                raise ValidationError(_(
                    "Bill %(bill)s: choose the customer company %(company)s, not its contact %(contact)s.",
                    bill=bill.display_name, company=bill.partner_id.commercial_partner_id.display_name,
                    contact=bill.partner_id.display_name))

    @api.depends("name", "bill_number")
    def _compute_display_name(self):
        for bill in self:
            bill.display_name = f"{bill.name} ({bill.bill_number})" if bill.bill_number else bill.name

    def _ctrl_check_write(self, vals):
        operation = set(self._ctrl_operation_fields) & set(vals)
        if operation:
            for bill in self.filtered(lambda b: b.state not in ("draft", *EXPOSED_STATES)):
                raise UserError(bill._ctrl_locked_message(operation))
        return super()._ctrl_check_write(vals)

    # ------------------------------------------------------------------
    # Accounting helpers
    # ------------------------------------------------------------------
    def _ctrl_bill_account(self):
        account = self.company_id.ctrl_bill_receivable_account_id
        if not account:
            raise UserError(_("Set the bills receivable account of %(company)s first (Settings > Internal Control > "
                              "Commercial acceptance bills).", company=self.company_id.name))
        return account

    def _ctrl_misc_journal(self):
        journal = self.company_id.ctrl_bill_journal_id or self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "=", self.company_id.id)], limit=1)
        if not journal:
            raise UserError(_("Set the bills journal of %(company)s first (Settings > Internal Control > "
                              "Commercial acceptance bills).", company=self.company_id.name))
        return journal

    def _ctrl_bank_account(self):
        journal = self.bank_journal_id
        if not journal or not journal.default_account_id:
            raise UserError(_("Bill %(bill)s: choose the bank journal (field 'Bank journal') first.",
                              bill=self.display_name))
        return journal.default_account_id

    def _ctrl_line(self, account, partner, balance, amount_currency, label, maturity=None):
        return (0, 0, {
            "account_id": account.id, "partner_id": partner.id, "name": label,
            "balance": balance, "amount_currency": amount_currency, "currency_id": self.currency_id.id,
            **({"date_maturity": maturity} if maturity else {}),
        })

    def _ctrl_post(self, journal, date, lines, label):
        move = self.env["account.move"].sudo().create({
            "move_type": "entry", "journal_id": journal.id, "company_id": self.company_id.id, "date": date,
            "ref": label, "ctrl_credit_bill_id": self.id, "line_ids": lines,
        })
        move.action_post()
        return move

    def _ctrl_receivable_account(self):
        accounts = self.invoice_ids.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable").account_id
        if len(accounts) > 1:
            raise UserError(_("Bill %(bill)s pays invoices on different receivable accounts (%(accounts)s): "
                              "receive one bill per account.", bill=self.display_name,
                              accounts=", ".join(accounts.mapped("display_name"))))
        return accounts or self.partner_id.with_company(self.company_id).property_account_receivable_id

    def _ctrl_reconcile(self, move, account, others=None):
        lines = move.line_ids.filtered(lambda line: line.account_id == account)
        if others:
            lines |= others.filtered(lambda line: line.account_id == account and not line.reconciled)
        if account.reconcile and lines:
            lines.reconcile()

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _ctrl_require(self, states, action):
        for bill in self:
            if bill.state not in states:
                state = dict(self._fields["state"]._description_selection(self.env))[bill.state]
                raise UserError(_("Bill %(bill)s is %(state)s: it cannot be %(action)s.",
                                  bill=bill.display_name, state=state, action=action))

    def _ctrl_check_finance(self):
        # The record rules and access lines already stop other users; this names the role for a clear refusal.
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(_("Only invoicing or accounting users handle commercial acceptance bills."))

    def action_receive(self):
        """Draft -> held: Dr bills receivable / Cr the customer's receivable, reconciled with the invoices."""
        self._ctrl_check_finance()
        self._ctrl_require(("draft",), _("received"))
        for bill in self:
            bad = bill.invoice_ids.filtered(
                lambda m, b=bill: m.move_type != "out_invoice" or m.state != "posted"
                or m.commercial_partner_id != b.partner_id or m.company_id != b.company_id)
            if bad:
                raise UserError(_("Bill %(bill)s: %(invoices)s are not posted customer invoices of %(customer)s; "
                                  "remove them from 'Invoices paid'.", bill=bill.display_name,
                                  invoices=", ".join(bad.mapped("display_name")), customer=bill.partner_id.name))
            date = bill.receipt_date
            balance = bill.company_currency_id.round(bill.currency_id._convert(
                bill.amount, bill.company_currency_id, bill.company_id, date))
            receivable = bill._ctrl_receivable_account()
            label = _("Bill %(number)s received", number=bill.bill_number)
            move = bill._ctrl_post(bill._ctrl_misc_journal(), date, [
                bill._ctrl_line(bill._ctrl_bill_account(), bill.partner_id, balance, bill.amount, label,
                                maturity=bill.maturity_date),
                bill._ctrl_line(receivable, bill.partner_id, -balance, -bill.amount, label),
            ], label)
            bill._ctrl_reconcile(move, receivable, bill.invoice_ids.line_ids)
            bill._ctrl_set_state("held", receipt_move_id=move.id, amount_company=balance)
            bill._message_log(body=_("Bill received: %(entry)s.", entry=move.display_name))
        return True

    def action_collect(self):
        """Held -> collected: Dr bank / Cr bills receivable. Endorsed or discounted -> collected: the
        acceptor paid the holder at maturity; nothing left to post, the recourse ends."""
        self._ctrl_check_finance()
        self._ctrl_require(EXPOSED_STATES, _("collected"))
        for bill in self:
            date = bill.operation_date or fields.Date.context_today(bill)
            values = {"done_date": date}
            if bill.state == "held":
                label = _("Bill %(number)s collected", number=bill.bill_number)
                account = bill._ctrl_bill_account()
                move = bill._ctrl_post(bill.bank_journal_id, date, [
                    bill._ctrl_line(bill._ctrl_bank_account(), bill.partner_id, bill.amount_company, bill.amount,
                                    label),
                    bill._ctrl_line(account, bill.partner_id, -bill.amount_company, -bill.amount, label),
                ], label)
                bill._ctrl_reconcile(move, account, bill.receipt_move_id.line_ids)
                values["collect_move_id"] = move.id
            bill._ctrl_set_state("collected", **values)
        return True

    def action_endorse(self):
        """Held -> endorsed: Dr the supplier's payable / Cr bills receivable. The customer's risk stays
        (recourse) until the bill is collected at maturity."""
        self._ctrl_check_finance()
        self._ctrl_require(("held",), _("endorsed"))
        for bill in self:
            if not bill.endorsee_id:
                raise UserError(_("Bill %(bill)s: choose the supplier in 'Endorsed to' first.",
                                  bill=bill.display_name))
            date = bill.operation_date or fields.Date.context_today(bill)
            label = _("Bill %(number)s endorsed to %(supplier)s", number=bill.bill_number,
                      supplier=bill.endorsee_id.name)
            payable = bill.endorsee_id.with_company(bill.company_id).property_account_payable_id
            account = bill._ctrl_bill_account()
            move = bill._ctrl_post(bill._ctrl_misc_journal(), date, [
                bill._ctrl_line(payable, bill.endorsee_id, bill.amount_company, bill.amount, label),
                bill._ctrl_line(account, bill.partner_id, -bill.amount_company, -bill.amount, label),
            ], label)
            bill._ctrl_reconcile(move, account, bill.receipt_move_id.line_ids)
            bill._ctrl_set_state("endorsed", transfer_move_id=move.id)
        return True

    def action_discount(self):
        """Held -> discounted: Dr bank (net) + Dr interest expense / Cr bills receivable. The customer's
        risk stays (the bank has recourse) until the bill is collected at maturity."""
        self._ctrl_check_finance()
        self._ctrl_require(("held",), _("discounted"))
        for bill in self:
            if float_compare(bill.discount_interest, bill.amount, precision_rounding=bill.currency_id.rounding) >= 0:
                raise UserError(_("Bill %(bill)s: the discount interest must be less than the bill's amount.",
                                  bill=bill.display_name))
            interest_account = bill.company_id.ctrl_bill_interest_account_id
            if bill.discount_interest and not interest_account:
                raise UserError(_("Set the discount interest account of %(company)s first (Settings > "
                                  "Internal Control > Commercial acceptance bills).",
                                  company=bill.company_id.name))
            date = bill.operation_date or fields.Date.context_today(bill)
            label = _("Bill %(number)s discounted", number=bill.bill_number)
            interest = bill.company_currency_id.round(
                bill.amount_company * bill.discount_interest / bill.amount) if bill.discount_interest else 0.0
            account = bill._ctrl_bill_account()
            lines = [
                bill._ctrl_line(bill._ctrl_bank_account(), bill.partner_id, bill.amount_company - interest,
                                bill.amount - bill.discount_interest, label),
                bill._ctrl_line(account, bill.partner_id, -bill.amount_company, -bill.amount, label),
            ]
            if bill.discount_interest:
                lines.append(bill._ctrl_line(interest_account, bill.partner_id, interest, bill.discount_interest,
                                             label))
            move = bill._ctrl_post(bill.bank_journal_id, date, lines, label)
            bill._ctrl_reconcile(move, account, bill.receipt_move_id.line_ids)
            bill._ctrl_set_state("discounted", transfer_move_id=move.id)
        return True

    def action_dishonour(self):
        """The acceptor did not pay at maturity: the debt reopens as a receivable of the customer due at the
        bill's maturity: Dr receivable / Cr bills receivable (held), the endorsee's payable (endorsed: they
        claim it back) or the bank (discounted: the bank debits us)."""
        self._ctrl_check_finance()
        self._ctrl_require(EXPOSED_STATES, _("dishonoured"))
        for bill in self:
            date = bill.operation_date or fields.Date.context_today(bill)
            label = _("Bill %(number)s dishonoured", number=bill.bill_number)
            receivable = bill.receipt_move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable")[:1].account_id \
                or bill._ctrl_receivable_account()
            if bill.state == "held":
                counterpart, partner, journal = bill._ctrl_bill_account(), bill.partner_id, bill._ctrl_misc_journal()
            elif bill.state == "endorsed":
                counterpart = bill.transfer_move_id.line_ids.filtered(lambda line: line.debit)[:1].account_id
                partner, journal = bill.endorsee_id, bill._ctrl_misc_journal()
            else:
                counterpart, partner, journal = bill._ctrl_bank_account(), bill.partner_id, bill.bank_journal_id
            move = bill._ctrl_post(journal, date, [
                bill._ctrl_line(receivable, bill.partner_id, bill.amount_company, bill.amount, label,
                                maturity=bill.maturity_date),
                bill._ctrl_line(counterpart, partner, -bill.amount_company, -bill.amount, label),
            ], label)
            if bill.state == "held":
                bill._ctrl_reconcile(move, counterpart, bill.receipt_move_id.line_ids)
            bill._ctrl_set_state("dishonoured", dishonour_move_id=move.id, done_date=date)
            bill._message_log(body=_("Bill dishonoured: %(customer)s owes %(amount)s again, due %(date)s.",
                                     customer=bill.partner_id.name,
                                     amount=bill.currency_id.format(bill.amount), date=bill.maturity_date))
        return True

    def action_cancel(self):
        """A draft is cancelled; a held bill (received by mistake) is cancelled by reversing its receipt: the
        invoices it paid are open again. Once endorsed, discounted or closed, a bill is not cancelled."""
        self._ctrl_check_finance()
        self._ctrl_require(("draft", "held"), _("cancelled"))
        for bill in self:
            values = {"done_date": fields.Date.context_today(bill)}
            if bill.receipt_move_id:
                receipt = bill.receipt_move_id.sudo()
                receipt.line_ids.remove_move_reconcile()
                reversal = receipt._reverse_moves(
                    [{"date": bill.operation_date or fields.Date.context_today(bill),
                      "ref": _("Reversal of: %(entry)s", entry=receipt.name)}], cancel=True)
                reversal.ctrl_credit_bill_id = bill  # not reset to draft either
                values["cancel_move_id"] = reversal.id
            bill._ctrl_set_state("cancel", **values)
        return True

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Journal entries"), "res_model": "account.move",
            "view_mode": "list,form", "domain": [("id", "in", self._ctrl_moves().ids)],
            "context": {"create": False},
        }
