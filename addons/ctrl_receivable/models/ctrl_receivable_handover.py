# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

SIGN_ROLES = {
    "out": ("user_id", "date_signed_out"),
    "in": ("successor_id", "date_signed_in"),
    "supervisor": ("supervisor_id", "date_signed_supervisor"),
}


class CtrlReceivableHandover(models.Model):
    """Handover of a leaving (or transferred) salesperson's receivables
    (001/R38, §3.10, N136–N141).

    Confirming lists the customers whose salesperson is the departing user
    and the open invoices whose salesperson is that user, with their open
    amounts. The list is signed by the one handing over, the one receiving and
    the supervisor (监交人), each only by that user. The transfer then moves
    the customers, the open invoices and their open activities to the
    successor and calls :meth:`_ctrl_handover_transfer`, which the other
    receivable features extend to move what they own (balance confirmations
    here; collection levels, promises, cases in their own addons). The
    departing salesperson gets one month to collect the rest or obtain
    customer guarantees (N137), and the supervisor a full re-check one month
    after the transfer (N139).

    The state, the list and the signatures are set only by the buttons
    (``ctrl.lifecycle.mixin``): each signature by its own party.
    """

    _name = "ctrl.receivable.handover"
    _description = "Receivables Handover"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one("res.users", "Handing over", required=True, index=True, tracking=True,
                              domain="[('share', '=', False)]", help="The salesperson who leaves or moves.")
    successor_id = fields.Many2one("res.users", "Successor", required=True, index=True, tracking=True,
                                   domain="[('share', '=', False)]", help="Takes over the customers and invoices.")
    supervisor_id = fields.Many2one("res.users", "Supervisor", required=True, tracking=True,
                                    domain="[('share', '=', False)]", help="Oversees the handover.")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "To sign"), ("signed", "Signed"), ("done", "Done"),
         ("cancelled", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, index=True)
    line_ids = fields.One2many("ctrl.receivable.handover.line", "handover_id", "Handover list", readonly=True)
    partner_line_ids = fields.One2many("ctrl.receivable.handover.line", "handover_id", "Customers",
                                       domain=[("line_type", "=", "partner")], readonly=True)
    invoice_line_ids = fields.One2many("ctrl.receivable.handover.line", "handover_id", "Open invoices",
                                       domain=[("line_type", "=", "invoice")])
    amount_open = fields.Monetary("Open amount", compute="_compute_amounts", store=True)
    amount_unsettled = fields.Monetary(
        "Not yet collected or guaranteed", compute="_compute_unsettled",
        help="Open amount of the listed invoices that is neither paid nor covered by a customer guarantee.")
    date_signed_out = fields.Datetime("Signed by the one handing over", readonly=True, copy=False)
    date_signed_in = fields.Datetime("Signed by the successor", readonly=True, copy=False)
    date_signed_supervisor = fields.Datetime("Signed by the supervisor", readonly=True, copy=False)
    date_done = fields.Date("Transferred on", readonly=True, copy=False)
    date_collect_deadline = fields.Date(
        "Collect or guarantee by", readonly=True, copy=False,
        help="Within 1 month the departing salesperson collects the open invoices or obtains the "
        "customer's payment commitment or guarantee.")
    date_recheck = fields.Date("Full re-check by", readonly=True, copy=False,
                               help="Every balance is checked again within 1 month of the handover.")
    note = fields.Html()

    _ctrl_protected_fields = ("line_ids", "partner_line_ids", "date_signed_out", "date_signed_in",
                              "date_signed_supervisor", "date_done", "date_collect_deadline", "date_recheck")

    @api.depends("line_ids.amount", "line_ids.line_type")
    def _compute_amounts(self):
        for handover in self:
            handover.amount_open = sum(handover.line_ids.filtered(lambda line: line.line_type == "invoice")
                                       .mapped("amount"))

    @api.depends("line_ids.settled", "line_ids.residual")
    def _compute_unsettled(self):
        for handover in self:
            lines = handover.line_ids.filtered(lambda line: line.line_type == "invoice" and not line.settled)
            handover.amount_unsettled = sum(lines.mapped("residual"))

    @api.constrains("user_id", "successor_id", "supervisor_id")
    def _check_parties(self):
        for handover in self:
            if handover.successor_id == handover.user_id:
                raise ValidationError(_(
                    "Successor: %(user)s cannot hand over to themselves. Choose another salesperson as successor.",
                    user=handover.user_id.name))
            if not handover.successor_id.active:
                raise ValidationError(_(
                    "Successor: %(user)s is archived. Choose an active user as successor.",
                    user=handover.successor_id.name))
            if handover.supervisor_id in (handover.user_id | handover.successor_id):
                raise ValidationError(_(
                    "Supervisor: the supervisor must be a third person, neither the one handing over nor "
                    "the successor."))

    _ctrl_sequence_code = "ctrl.receivable.handover"

    def write(self, vals):
        if {"user_id", "successor_id", "supervisor_id", "company_id"} & set(vals) and \
                any(handover.state != "draft" for handover in self):
            raise UserError(_("The parties of a handover change only in draft: reset it to draft first, which "
                              "clears the signatures."))
        return super().write(vals)

    # ------------------------------------------------------------------
    # The list
    # ------------------------------------------------------------------
    def _open_invoices(self):
        """Open customer invoices and credit notes whose salesperson is the
        departing user, in the handover's company."""
        self.ensure_one()
        return self.env["account.move"].sudo().search([
            ("invoice_user_id", "=", self.user_id.id), ("company_id", "=", self.company_id.id),
            ("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted"),
            ("payment_state", "not in", ("paid", "in_payment", "reversed")),
        ], order="invoice_date_due, id")

    def _customers(self):
        self.ensure_one()
        return self.env["res.partner"].sudo().search([
            ("user_id", "=", self.user_id.id), ("company_id", "in", (False, self.company_id.id)),
            ("parent_id", "=", False),
        ])

    def _ctrl_compute_lines(self):
        for handover in self:
            moves = handover._open_invoices()
            partners = handover._customers()
            open_by_partner = {}
            for move in moves:
                key = move.commercial_partner_id.id
                open_by_partner[key] = open_by_partner.get(key, 0.0) + move.amount_residual_signed
            commands = [Command.clear()]
            for partner in partners:
                commands.append(Command.create({
                    "line_type": "partner", "partner_id": partner.id,
                    "amount": handover.currency_id.round(open_by_partner.get(partner.id, 0.0)),
                }))
            for move in moves:
                commands.append(Command.create({
                    "line_type": "invoice", "partner_id": move.commercial_partner_id.id, "move_id": move.id,
                    "date_due": move.invoice_date_due, "amount": move.amount_residual_signed,
                }))
            # The list is the server's: written as superuser (callers checked the state and rights).
            handover._ctrl_write_protected({"line_ids": commands})

    def action_compute(self):
        self._check_state(("draft",))
        self.check_access("write")
        self._ctrl_compute_lines()
        return True

    def action_confirm(self):
        """Freeze the list (customers and open invoices with their amounts) for signing."""
        self._check_state(("draft",))
        self.check_access("write")
        self._check_parties()
        self._ctrl_compute_lines()
        self._ctrl_set_state("confirmed")
        for handover in self:
            for user in handover.user_id | handover.successor_id | handover.supervisor_id:
                handover.activity_schedule(
                    "ctrl_receivable.mail_activity_handover_sign", user_id=user.id, date_deadline=handover.date,
                    summary=_("Sign the receivables handover list %(name)s", name=handover.name))
        return True

    def action_reset_draft(self):
        self._check_state(("confirmed", "signed", "cancelled"))
        self.check_access("write")
        self._ctrl_set_state("draft", date_signed_out=False, date_signed_in=False, date_signed_supervisor=False)
        self.activity_ids.unlink()
        return True

    def action_cancel(self):
        self._check_state(("draft", "confirmed", "signed"))
        self.check_access("write")
        self._ctrl_set_state("cancelled")
        self.activity_ids.unlink()
        return True

    def _check_state(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for handover in self:
            if handover.state not in states:
                raise UserError(_("Handover %(name)s is %(state)s; this needs it %(states)s.", name=handover.name,
                                  state=labels[handover.state],
                                  states=" / ".join(labels[state] for state in states)))

    # ------------------------------------------------------------------
    # Signatures: each party signs for itself (server-checked)
    # ------------------------------------------------------------------
    def _ctrl_sign(self, role):
        user_field, date_field = SIGN_ROLES[role]
        self._check_state(("confirmed",))
        for handover in self:
            party = handover[user_field]
            if party != self.env.user:
                raise AccessError(_(
                    "%(field)s: only %(user)s can sign this part of handover %(name)s.",
                    field=handover._fields[user_field].string, user=party.name, name=handover.name))
            if handover[date_field]:
                raise UserError(_("%(user)s already signed handover %(name)s.", user=party.name, name=handover.name))
            handover._ctrl_write_protected({date_field: fields.Datetime.now()})
            handover.sudo().activity_ids.filtered(
                lambda a, user=party: a.user_id == user and a.activity_type_id == self.env.ref(
                    "ctrl_receivable.mail_activity_handover_sign")).action_feedback(feedback=_("Signed."))
            handover.sudo().message_post(body=_("%(field)s: signed by %(user)s.",
                                                field=handover._fields[user_field].string, user=party.name))
            if handover.date_signed_out and handover.date_signed_in and handover.date_signed_supervisor:
                handover._ctrl_set_state("signed")
        return True

    def action_sign_out(self):
        return self._ctrl_sign("out")

    def action_sign_in(self):
        return self._ctrl_sign("in")

    def action_sign_supervisor(self):
        return self._ctrl_sign("supervisor")

    # ------------------------------------------------------------------
    # Transfer
    # ------------------------------------------------------------------
    def action_transfer(self):
        """Move the customers, the open invoices and their open activities to
        the successor, then run :meth:`_ctrl_handover_transfer`; the
        departing salesperson gets a month to collect or obtain guarantees and
        the supervisor a full re-check a month later."""
        self._check_state(("signed",))
        for handover in self:
            if self.env.user not in handover.supervisor_id and \
                    not self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
                raise AccessError(_("Only the supervisor %(user)s or a Receivables manager can carry out handover "
                                    "%(name)s.", user=handover.supervisor_id.name, name=handover.name))
            if not handover.successor_id.active:
                raise ValidationError(_("Successor: %(user)s has been archived since the list was signed. Reset the "
                                        "handover to draft and choose an active successor.",
                                        user=handover.successor_id.name))
            handover._ctrl_do_transfer()
        return True

    def _ctrl_do_transfer(self):
        """The transfer itself, as superuser (the supervisor may not read the
        invoices); called by :meth:`action_transfer` after its checks."""
        handover = self.sudo()
        from_user, to_user = handover.user_id, handover.successor_id
        partners = handover.line_ids.filtered(lambda line: line.line_type == "partner").partner_id
        partners = partners.filtered(lambda p: p.user_id == from_user)
        moves = handover.line_ids.move_id.filtered(lambda m: m.invoice_user_id == from_user)
        partners.write({"user_id": to_user.id})
        moves.write({"invoice_user_id": to_user.id})
        activities = self.env["mail.activity"].sudo().search([
            ("user_id", "=", from_user.id), "|",
            "&", ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            "&", ("res_model", "=", "account.move"), ("res_id", "in", moves.ids),
        ])
        activities.write({"user_id": to_user.id})
        handover._ctrl_handover_transfer(from_user, to_user, partners, moves)
        today = fields.Date.context_today(handover)
        deadline = today + relativedelta(months=1)
        handover._ctrl_set_state("done", date_done=today, date_collect_deadline=deadline, date_recheck=deadline)
        if from_user.active:
            handover.activity_schedule(
                "ctrl_receivable.mail_activity_handover_collect", user_id=from_user.id, date_deadline=deadline,
                summary=_("Collect the open invoices or obtain customer guarantees (%(amount)s)",
                          amount=handover.currency_id.format(handover.amount_open)))
        handover.activity_schedule(
            "ctrl_receivable.mail_activity_handover_recheck", user_id=handover.supervisor_id.id,
            date_deadline=deadline,
            summary=_("Full re-check of the balances handed over by %(user)s", user=from_user.name))
        handover.message_post(body=_(
            "Transferred to %(user)s by %(by)s: %(partners)s customers, %(moves)s open invoices (%(amount)s), "
            "%(activities)s activities.", user=to_user.name, by=self.env.user.name, partners=len(partners),
            moves=len(moves), amount=handover.currency_id.format(handover.amount_open),
            activities=len(activities)))

    def _ctrl_handover_transfer(self, from_user, to_user, partners, moves):
        """Hook: move what a receivable feature owns from ``from_user`` to
        ``to_user``. Called (as superuser, once per handover) by
        :meth:`action_transfer` after the customers ``partners`` and the open
        invoices ``moves`` were reassigned. Extend it with ``super()`` to
        transfer what other features own; this moves the open balance
        confirmations and collection cases of those customers, with their open
        activities (levels and promises follow the invoices)."""
        self.ensure_one()
        confirmations = self.env["ctrl.balance.confirmation"].sudo().search([
            ("partner_id", "in", (partners | moves.commercial_partner_id).ids),
            ("company_id", "=", self.company_id.id), ("user_id", "=", from_user.id),
            ("state", "in", ("draft", "sent", "disputed")),
        ])
        confirmations.write({"user_id": to_user.id})
        confirmations.activity_ids.filtered(lambda a: a.user_id == from_user).write({"user_id": to_user.id})
        # Collection levels and promises follow the invoices; open cases change hands with their activities.
        cases = self.env["ctrl.collection.case"].sudo().search([
            ("partner_id", "in", (partners | moves.commercial_partner_id).ids),
            ("company_id", "=", self.company_id.id), ("user_id", "=", from_user.id), ("state", "!=", "closed"),
        ])
        cases.write({"user_id": to_user.id})
        cases.activity_ids.filtered(lambda a: a.user_id == from_user).write({"user_id": to_user.id})
        return True

    def action_print(self):
        return self.env.ref("ctrl_receivable.action_report_receivable_handover").report_action(self)
