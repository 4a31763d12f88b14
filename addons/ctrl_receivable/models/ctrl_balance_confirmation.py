# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
FREQUENCIES = [
    ("monthly", "Monthly"), ("quarterly", "Quarterly"), ("half_yearly", "Half-yearly"), ("yearly", "Yearly"),
    ("none", "Never"),
]
FINAL_STATES = ("confirmed", "resolved")


class CtrlBalanceConfirmation(models.Model):
    """A balance confirmation (对账 / 询证函) sent to one customer as of a date.

    The balance is the customer's open receivables at the as-of date from the
    aging engine (company currency); the open items are kept as lines, so the
    letter prints the same items later. The customer confirms, or disputes
    with their own figure and a reason; a dispute must have its cause found
    within 1 working day and be resolved within 3 (000/S15 R15-06), else the
    ladders ``confirmation_dispute_cause`` / ``confirmation_dispute_resolution``
    tell the receivable manager. An unconfirmed or disputed customer can be put
    on a ``ctrl_credit`` hold (company setting, off by default).

    The state, the balance and its items, and the dates of the replies and
    decisions are set only by the buttons (``ctrl.lifecycle.mixin``); what
    the customer answered is fixed once the reply is recorded.
    """

    _name = "ctrl.balance.confirmation"
    _description = "Balance Confirmation"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin", "ctrl.lifecycle.mixin"]
    _ctrl_sequence_code = "ctrl.balance.confirmation"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, readonly=True, tracking=True,
        domain="[('is_company', '=', True)]")
    date = fields.Date("As of", required=True, readonly=True, tracking=True)
    campaign_ref = fields.Char("Campaign", readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", "Responsible", tracking=True, index=True,
        default=lambda self: self.env.user,
        help="Follows the reply up and, on a dispute, finds the cause and resolves it (the customer's "
        "salesperson by default).")
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("confirmed", "Confirmed"), ("disputed", "Disputed"),
         ("resolved", "Resolved")],
        default="draft", required=True, readonly=True, tracking=True, index=True)
    amount_balance = fields.Monetary("Our balance", readonly=True,
                                     help="Open receivables of the customer at the as-of date, company currency.")
    line_ids = fields.One2many("ctrl.balance.confirmation.line", "confirmation_id", "Open items", readonly=True)
    line_count = fields.Integer(compute="_compute_line_count")
    date_sent = fields.Date("Sent on", readonly=True, tracking=True)
    date_reply = fields.Date("Reply on", readonly=True, tracking=True)
    reply_file = fields.Binary("Signed reply", attachment=True, copy=False,
                               help="The customer's signed and stamped reply.")
    reply_filename = fields.Char()
    # Dispute -------------------------------------------------------------
    customer_amount = fields.Monetary(
        "Customer's figure", tracking=True, help="The balance the customer's books show at the as-of date.")
    amount_difference = fields.Monetary(
        "Difference", compute="_compute_amount_difference", store=True,
        help="The customer's figure minus our balance.")
    dispute_reason = fields.Text("Customer's reason", tracking=True)
    dispute_cause = fields.Text("Cause found", tracking=True)
    resolution = fields.Text(tracking=True)
    date_disputed = fields.Date("Disputed on", readonly=True)
    date_cause_due = fields.Date("Cause due", readonly=True, index=True,
                                 help="Cause of the difference found within 1 working day.")
    date_resolve_due = fields.Date("Resolution due", readonly=True, index=True,
                                   help="Difference resolved within 3 working days.")
    date_cause_found = fields.Date("Cause found on", readonly=True)
    date_resolved = fields.Date("Resolved on", readonly=True)
    hold_id = fields.Many2one("ctrl.credit.hold", "Credit hold", readonly=True, copy=False)

    _ctrl_protected_fields = ("amount_balance", "line_ids", "date_sent", "date_reply", "date_disputed",
                              "date_cause_due", "date_resolve_due", "date_cause_found", "date_resolved", "hold_id")
    # The letter: who, as of when. Fixed once it left draft.
    _ctrl_content_fields = ("company_id", "partner_id", "date")
    # What the customer or we answered, and the state from which it is fixed.
    _ctrl_answer_fields = {
        "customer_amount": ("confirmed", "disputed", "resolved"),
        "dispute_reason": ("confirmed", "disputed", "resolved"),
        "reply_file": ("confirmed", "resolved"),  # may still be attached when missing
        "dispute_cause": ("resolved",),
        "resolution": ("resolved",),
    }

    _sql_constraints = [
        ("partner_date_uniq", "unique(partner_id, company_id, date)",
         "A customer gets one balance confirmation per as-of date and company."),
    ]

    @api.depends("line_ids")
    def _compute_line_count(self):
        for record in self:
            record.line_count = len(record.line_ids)

    @api.depends("customer_amount", "amount_balance", "currency_id")
    def _compute_amount_difference(self):
        for record in self:
            record.amount_difference = record.currency_id.round(record.customer_amount - record.amount_balance)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id") and "user_id" not in vals:
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["user_id"] = partner.user_id.id or self.env.uid
        return super().create(vals_list)

    def _ctrl_check_write(self, vals):
        result = super()._ctrl_check_write(vals)
        for name, states in self._ctrl_answer_fields.items():
            if name not in vals:
                continue
            done = self.filtered(lambda r, states=states, name=name: (r.state in states or (
                name == "dispute_cause" and r.date_cause_found)) and not (name == "reply_file" and not r.reply_file))
            if done:
                raise UserError(_("%(name)s: %(field)s was recorded with the reply and cannot change now.",
                                  name=done[0].name, field=self._ctrl_field_label({name})))
        return result

    # ------------------------------------------------------------------
    # Balance from the aging engine
    # ------------------------------------------------------------------
    def _ctrl_compute_balance(self):
        """Snapshot the open items of each customer at its as-of date: one
        engine query per (company, date), whatever the number of customers."""
        Engine = self.env["ctrl.aging.engine"]
        Engine._flush()
        for (company, date), records in self.grouped(lambda r: (r.company_id, r.date)).items():
            if any(record.state != "draft" for record in records):
                raise UserError(_("The balance of a sent confirmation cannot change."))
            scheme = company._ctrl_recv_scheme("collection")
            by_commercial = {record.partner_id.commercial_partner_id.id: record for record in records}
            contacts = self.env["res.partner"].with_context(active_test=False).search_fetch(
                [("commercial_partner_id", "in", list(by_commercial))], ["commercial_partner_id"])
            partner_of = {contact.id: by_commercial[contact.commercial_partner_id.id] for contact in contacts}
            items = Engine._open_items_sql(date, company, scheme)
            rows = self.env.execute_query_dict(SQL(
                """SELECT items.line_id, items.move_id, items.partner_id, items.currency_id, items.date,
                          items.date_maturity, items.amount, items.amount_currency
                     FROM (%s) items
                    WHERE items.partner_id = ANY(%s) AND items.amount <> 0
                    ORDER BY items.date, items.line_id""", items, list(partner_of)))
            lines = {record.id: [] for record in records}
            for row in rows:
                lines[partner_of[row["partner_id"]].id].append(Command.create({
                    "move_line_id": row["line_id"], "move_id": row["move_id"], "date": row["date"],
                    "date_maturity": row["date_maturity"], "amount": row["amount"],
                    "amount_currency": row["amount_currency"], "line_currency_id": row["currency_id"],
                }))
            for record in records:
                # The snapshot is the server's: written as superuser after the draft check above.
                record._ctrl_write_protected({"line_ids": [Command.clear()] + lines[record.id]})
                record._ctrl_write_protected({
                    "amount_balance": company.currency_id.round(sum(record.line_ids.mapped("amount")))})
        return True

    def action_compute(self):
        self.check_access("write")
        self._ctrl_compute_balance()
        return True

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, states, action):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in states:
                raise UserError(_(
                    "%(name)s is %(state)s: %(action)s needs a confirmation in state %(states)s.",
                    name=record.name, state=labels[record.state], action=action,
                    states=", ".join(labels[state] for state in states)))

    def action_send(self):
        """Queue the letter (PDF attached) to the customer by email; it is not
        sent inline but by the mail queue."""
        self._check_state(("draft",), _("Send"))
        missing = self.filtered(lambda r: not r.partner_id.email)
        if missing:
            raise UserError(_(
                "Customer email: %(partners)s have no email address. Add one on the customer, or print the "
                "letter and mark it sent with 'Sent by post'.",
                partners=", ".join(missing.mapped("partner_id.display_name"))))
        template = self.env.ref("ctrl_receivable.mail_template_balance_confirmation")
        for record in self:
            template.send_mail(record.id, force_send=False, raise_exception=True)
        self._mark_sent(_("Letter queued by email to %(email)s."))
        return True

    def action_mark_sent(self):
        """The letter went by post or was handed over on a visit."""
        self._check_state(("draft",), _("Sent by post"))
        self._mark_sent(_("Letter sent by post or handed over."))
        return True

    def _mark_sent(self, note):
        self.check_access("write")
        for record in self:
            record._ctrl_set_state("sent", date_sent=fields.Date.context_today(record))
            record.message_post(body=note % {"email": record.partner_id.email or ""})

    def action_confirm(self):
        """The customer signed the balance: the confirmation closes and a
        confirmation hold is lifted."""
        self._check_state(("sent",), _("Confirm"))
        self.check_access("write")
        for record in self:
            record._ctrl_set_state("confirmed", date_reply=fields.Date.context_today(record),
                                   customer_amount=record.amount_balance)
        self._ctrl_lift_hold(_("Balance confirmed by the customer."))
        self.activity_ids.action_feedback(feedback=_("Balance confirmed."))
        return True

    def action_dispute(self):
        """The customer's figure differs: record it with the reason, start the
        1/3 working-day clock and give the responsible the two activities."""
        self._check_state(("sent",), _("Dispute"))
        self.check_access("write")
        for record in self:
            if not (record.dispute_reason or "").strip():
                raise UserError(_("Customer's reason: write down why %(partner)s disputes the balance of %(name)s.",
                                  partner=record.partner_id.display_name, name=record.name))
            if record.currency_id.compare_amounts(record.customer_amount, record.amount_balance) == 0:
                raise UserError(_(
                    "Customer's figure: %(amount)s equals our balance. Enter the figure the customer's books show, "
                    "or confirm the balance instead.", amount=record.currency_id.format(record.customer_amount)))
            today = fields.Date.context_today(record)
            cause_due = record.company_id._ctrl_recv_add_working_days(
                today, record.company_id.ctrl_recv_dispute_cause_days)
            resolve_due = record.company_id._ctrl_recv_add_working_days(
                today, record.company_id.ctrl_recv_dispute_resolve_days)
            record._ctrl_set_state("disputed", date_reply=today, date_disputed=today, date_cause_due=cause_due,
                                   date_resolve_due=resolve_due)
            user = record.user_id if record.user_id.active else self.env.user
            record.activity_schedule(
                "ctrl_receivable.mail_activity_confirmation_cause", date_deadline=cause_due, user_id=user.id,
                summary=_("Find the cause of the difference of %(amount)s",
                          amount=record.currency_id.format(record.amount_difference)))
            record.activity_schedule(
                "ctrl_receivable.mail_activity_confirmation_resolve", date_deadline=resolve_due, user_id=user.id,
                summary=_("Resolve the difference with %(partner)s", partner=record.partner_id.display_name))
        self.filtered(lambda r: r.company_id.ctrl_recv_confirmation_hold)._ctrl_place_hold(
            _("The customer disputes the balance."))
        return True

    def action_record_cause(self):
        self._check_state(("disputed",), _("Cause found"))
        self.check_access("write")
        for record in self:
            if not (record.dispute_cause or "").strip():
                raise UserError(_("Cause found: describe the cause of the difference on %(name)s first.",
                                  name=record.name))
            record._ctrl_write_protected({"date_cause_found": fields.Date.context_today(record)})
            record.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("ctrl_receivable.mail_activity_confirmation_cause")
            ).action_feedback(feedback=record.dispute_cause)
        return True

    def action_resolve(self):
        self._check_state(("disputed",), _("Resolve"))
        self.check_access("write")
        for record in self:
            if not (record.resolution or "").strip():
                raise UserError(_("Resolution: describe how the difference on %(name)s was settled (credit note, "
                                  "payment found, customer's error) first.", name=record.name))
            vals = {"state": "resolved", "date_resolved": fields.Date.context_today(record)}
            if not record.date_cause_found:
                vals["date_cause_found"] = vals["date_resolved"]
            if not record.dispute_cause:
                vals["dispute_cause"] = record.resolution
            record._ctrl_write_protected(vals)
            record.activity_ids.action_feedback(feedback=record.resolution)
        self._ctrl_lift_hold(_("Balance difference resolved."))
        return True

    # ------------------------------------------------------------------
    # Holds
    # ------------------------------------------------------------------
    def _ctrl_place_hold(self, note):
        Hold = self.env["ctrl.credit.hold"]
        for record in self.filtered(lambda r: not r.hold_id or r.hold_id.state != "active"):
            record.sudo().hold_id = Hold._ctrl_place(
                record.partner_id, "confirmation", source=record, company=record.company_id,
                note=_("%(name)s as of %(date)s: %(note)s", name=record.name, date=record.date, note=note))

    def _ctrl_lift_hold(self, note):
        self.sudo().hold_id.filtered(lambda h: h.state == "active")._ctrl_lift(note)

    @api.model
    def _cron_confirmation_holds(self, batch_size=500):
        """Hold the customers that did not reply within the company's days, or
        dispute. Idempotent (a confirmation holds once) and batched."""
        done = 0
        for company in self.env["res.company"].sudo().search([("ctrl_recv_confirmation_hold", "=", True),
                                                             ("ctrl_live", "=", True)]):
            today = fields.Date.context_today(self)
            limit = today - timedelta(days=company.ctrl_recv_confirmation_hold_days)
            domain = [("company_id", "=", company.id), ("hold_id", "=", False), "|",
                      "&", ("state", "=", "sent"), ("date_sent", "<=", limit), ("state", "=", "disputed")]
            while True:
                records = self.sudo().search(domain, limit=batch_size, order="id")
                if not records:
                    break
                for record in records:
                    note = _("Unconfirmed %(days)s days after it was sent.",
                             days=company.ctrl_recv_confirmation_hold_days) \
                        if record.state == "sent" else _("The customer disputes the balance.")
                    record._ctrl_place_hold(note)
                done += len(records)
                if len(records) < batch_size:
                    break
        return done

    # ------------------------------------------------------------------
    # Dispute SLA escalation (ctrl_base ladders, data)
    # ------------------------------------------------------------------
    def _ctrl_recv_escalation_managers(self):
        self.ensure_one()
        manager = self.company_id.ctrl_recv_confirmation_manager_id
        if manager and manager.active:
            return manager
        group = self.env.ref("ctrl_receivable.group_receivable_manager")
        return group.users.filtered(lambda u: u.active and not u.share and self.company_id in u.company_ids
                                    and u._is_internal())

    def _ctrl_escalation_dispute_missed(self, level):
        """Ladder callback: the dispute passed its cause or resolution deadline
        without it; the receivable manager gets an activity."""
        cause = level.ladder_id.code == "confirmation_dispute_cause"
        for record in self:
            summary = _("Dispute SLA missed: no cause for %(name)s by %(date)s", name=record.name,
                        date=record.date_cause_due) if cause else \
                _("Dispute SLA missed: %(name)s not resolved by %(date)s", name=record.name,
                  date=record.date_resolve_due)
            for manager in record._ctrl_recv_escalation_managers():
                record.activity_schedule("mail.mail_activity_data_todo", user_id=manager.id, summary=summary,
                                         date_deadline=fields.Date.context_today(record))
            record.message_post(body=summary)

    # ------------------------------------------------------------------
    def _ctrl_recv_due_partner_ids(self, date, company, frequency=None):
        """Commercial customers with open receivables at ``date`` whose
        confirmation frequency is due (no confirmation within its period)."""
        scheme = company._ctrl_recv_scheme("collection")
        rows = self.env["ctrl.aging.engine"]._aggregate(date, company, scheme, groupby=("partner_id",))
        partners = self.env["res.partner"].browse({row[0] for row in rows if row[0]}).commercial_partner_id
        frequencies = {partner: partner._ctrl_recv_frequency_in(company) for partner in partners}
        if frequency:
            partners = partners.filtered(lambda p: frequencies[p] == frequency)
        partners = partners.filtered(lambda p: frequencies[p] in FREQUENCY_MONTHS)
        if not partners:
            return partners
        date = fields.Date.to_date(date)
        oldest = date - relativedelta(months=12)
        last = {}
        for record in self.sudo().search([("partner_id", "in", partners.ids), ("company_id", "=", company.id),
                                          ("date", ">", oldest), ("date", "<=", date)]):
            last[record.partner_id.id] = max(last.get(record.partner_id.id, record.date), record.date)
        return partners.filtered(lambda p: p.id not in last or last[p.id] <= date - relativedelta(
            months=FREQUENCY_MONTHS[frequencies[p]]))

    def action_view_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Open items"), "res_model": "ctrl.balance.confirmation.line",
            "view_mode": "list", "domain": [("confirmation_id", "=", self.id)],
        }
