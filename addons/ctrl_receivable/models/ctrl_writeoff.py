# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date as Date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

WRITEOFF_REASONS = [
    ("bankruptcy", "Bankruptcy or liquidation"),
    ("death_disaster", "Death, disappearance or disaster"),
    ("court", "Court ruling or failed enforcement"),
    ("overdue_3y", "Overdue 3 years or more, no business"),
    ("cost", "Recovery would cost more than the amount"),
]


class CtrlWriteoff(models.Model):
    """Bad-debt write-off (核销) against the allowance, keeping the case
    open (账销案存, 000/R11-09): the invoices stay on file and a later
    payment is booked as a recovery.

    Approval goes by amount through ctrl_base (kind ``writeoff``); the
    preparer cannot approve. Posting charges the allowance account and
    reconciles the invoices; cancelling reverses the entry.

    Guarded by ``ctrl.lifecycle.mixin``: the state and the entries are set
    only by the server; what is written off is locked once submitted and
    bound to the approval by its fingerprint."""

    _name = "ctrl.writeoff"
    _description = "Bad-debt Write-off"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True, tracking=True,
                                 domain="[('parent_id', '=', False)]")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    reason = fields.Selection(WRITEOFF_REASONS, required=True, tracking=True)
    explanation = fields.Text(required=True, help="The facts and the collection already attempted.")
    line_ids = fields.One2many("ctrl.writeoff.line", "writeoff_id", string="Invoices", copy=False)
    case_type_id = fields.Many2one(
        "ctrl.writeoff.case.type", "Case type", tracking=True, index=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Decides which documents must be attached before the write-off is submitted.")
    evidence_ids = fields.One2many("ctrl.writeoff.evidence", "writeoff_id", string="Required documents",
                                   copy=False)
    amount = fields.Monetary(compute="_compute_amount", store=True, tracking=True)
    journal_id = fields.Many2one("account.journal", check_company=True,
                                 default=lambda self: self.env.company.ctrl_recv_provision_journal_id,
                                 domain="[('type', '=', 'general'), ('company_id', '=', company_id)]")
    allowance_account_id = fields.Many2one("account.account", "Allowance account", check_company=True,
                                           default=lambda self: self.env.company.ctrl_recv_allowance_account_id)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("posted", "Written off (case kept)"),
         ("cancelled", "Cancelled")], default="draft", required=True, tracking=True, index=True, copy=False)
    move_id = fields.Many2one("account.move", "Write-off entry", readonly=True, copy=False, check_company=True)
    reversal_move_id = fields.Many2one("account.move", "Reversal entry", readonly=True, copy=False)
    recovery_move_ids = fields.Many2many("account.move", "ctrl_writeoff_recovery_rel", "writeoff_id", "move_id",
                                         string="Recoveries", readonly=True, copy=False)
    recovered_amount = fields.Monetary(readonly=True, tracking=True)
    tax_filing_deadline = fields.Date(compute="_compute_tax_filing_deadline", store=True,
                                      help="Filed with the tax office by day 45 of the following year.")

    _ctrl_sequence_code = "ctrl.writeoff"
    _ctrl_approval_kind = "writeoff"
    _ctrl_submitted_state = "to_approve"
    _ctrl_approved_state = "posted"
    _ctrl_protected_fields = ("move_id", "reversal_move_id", "recovery_move_ids", "recovered_amount", "amount",
                              "tax_filing_deadline")
    _ctrl_content_fields = ("company_id", "partner_id", "date", "reason", "line_ids", "journal_id",
                            "allowance_account_id", "case_type_id", "evidence_ids")
    # 001/AR02.32, AR16.22: a debt overdue this long is written off only with its collection records.
    _ctrl_collection_records_years = 3

    allowance_available = fields.Monetary(
        "Allowance available", compute="_compute_allowance_split",
        help="Credit balance of the allowance account at the write-off date: the most the write-off can use.")
    allowance_amount = fields.Monetary(
        "Charged to the allowance", compute="_compute_allowance_split",
        help="The part of the write-off charged to the allowance: at most the allowance available.")
    expense_amount = fields.Monetary(
        "Charged to expense", compute="_compute_allowance_split",
        help="The part of the write-off the allowance does not cover, charged to the bad-debt expense account.")

    @api.depends("amount", "date", "allowance_account_id", "company_id", "state", "move_id")
    def _compute_allowance_split(self):
        for writeoff in self:
            if writeoff.move_id:
                # Posted: what the entry charged.
                debits = writeoff.move_id.line_ids.filtered("debit")
                allowance = sum(debits.filtered(
                    lambda ln, account=writeoff.allowance_account_id: ln.account_id == account).mapped("debit"))
                writeoff.allowance_available = allowance
                writeoff.allowance_amount = allowance
                writeoff.expense_amount = sum(debits.mapped("debit")) - allowance
                continue
            available = writeoff._allowance_available() if writeoff.id else 0.0
            writeoff.allowance_available = available
            writeoff.allowance_amount = min(writeoff.amount, available)
            writeoff.expense_amount = max(0.0, writeoff.currency_id.round(writeoff.amount - available))

    def _allowance_available(self):
        """Credit balance of the allowance account of the write-off's company
        at its date, and not more than today's (a later write-off may have
        used it already); never below zero."""
        self.ensure_one()
        if not self.allowance_account_id or not self.company_id or not self.date:
            return 0.0
        self.env["account.move.line"].flush_model(["account_id", "company_id", "parent_state", "date", "balance"])
        self.env.cr.execute(SQL(
            """SELECT COALESCE(SUM(-balance) FILTER (WHERE date <= %s), 0.0), COALESCE(SUM(-balance), 0.0)
                 FROM account_move_line
                WHERE account_id = %s AND company_id = %s AND parent_state = 'posted'""",
            self.date, self.allowance_account_id.id, self.company_id.id))
        at_date, now = self.env.cr.fetchone()
        return max(0.0, self.currency_id.round(min(at_date, now)))

    def _check_allowance(self):
        """The allowance is used up to its balance; the rest goes to the
        bad-debt expense account, which must then be set."""
        self.ensure_one()
        available = self._allowance_available()
        shortfall = self.currency_id.round(self.amount - available)
        expense = self.company_id.ctrl_recv_provision_expense_account_id
        if self.currency_id.compare_amounts(shortfall, 0.0) > 0 and not expense:
            raise UserError(_(
                "Write-off %(name)s: the allowance account holds %(available)s, %(shortfall)s less than the "
                "%(amount)s to write off, and no bad-debt expense account is set for the rest. Set the bad-debt "
                "expense account (Receivables settings), or post a bad-debt provision run that covers the amount "
                "first.", name=self.name, available=self.currency_id.format(available),
                shortfall=self.currency_id.format(shortfall), amount=self.currency_id.format(self.amount)))
        if expense and expense == self.allowance_account_id:
            raise UserError(_("Write-off %(name)s: the allowance account and the bad-debt expense account must "
                              "differ.", name=self.name))
        return available, expense

    @api.depends("line_ids.amount")
    def _compute_amount(self):
        for writeoff in self:
            writeoff.amount = writeoff.currency_id.round(sum(writeoff.line_ids.mapped("amount")))

    @api.depends("date")
    def _compute_tax_filing_deadline(self):
        for writeoff in self:
            writeoff.tax_filing_deadline = writeoff.date and Date(writeoff.date.year + 1, 2, 14)

    # Approval ------------------------------------------------------------------
    def _ctrl_approval_amount(self, kind):
        return self.amount

    def _ctrl_approval_preparer(self):
        return self.create_uid

    def _check_submittable(self):
        self.ensure_one()
        if not self.line_ids:
            raise ValidationError(_("Write-off %(name)s: add the invoices to write off.", name=self.name))
        self.line_ids._check_within_open_amount()
        missing = [self._fields[f].string for f in ("journal_id", "allowance_account_id") if not self[f]]
        if missing:
            raise ValidationError(_("Write-off %(name)s: set %(fields)s (Receivables settings, or on the "
                                    "write-off).", name=self.name, fields=", ".join(missing)))
        lock_date = self.company_id._get_user_fiscal_lock_date(self.journal_id)
        if self.date <= lock_date:
            raise ValidationError(_("Write-off %(name)s: %(date)s is in a locked period (lock date %(lock)s). "
                                    "Choose a later date.", name=self.name, date=format_date(self.env, self.date),
                                    lock=format_date(self.env, lock_date)))

    def _check_review(self):
        """003/R1.28 (setting *Write-offs need an approved bad-debt review*):
        each invoice is a bad debt of an approved review, which prepared
        this write-off."""
        self.ensure_one()
        if not self.company_id.ctrl_recv_writeoff_needs_review:
            return
        found = self.env["ctrl.bad.debt.review.line"].sudo().search([
            ("writeoff_id", "=", self.id), ("decision", "=", "bad"), ("review_id.state", "=", "approved"),
            ("move_id", "in", self.line_ids.move_id.ids)]).move_id
        missing = self.line_ids.move_id - found
        if missing:
            raise UserError(_(
                "Write-off %(name)s: %(invoices)s is not a bad debt of an approved bad-debt review. Record who is "
                "responsible in a bad-debt review (Receivables Control > Bad-debt Reviews), have it approved, then "
                "prepare the write-off from it (Prepare Write-offs).",
                name=self.name, invoices=", ".join(missing.mapped("name"))))

    # Evidence (001/AR16.22, AR02.32) ---------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        writeoffs = super().create(vals_list)
        writeoffs._sync_evidence()
        return writeoffs

    def write(self, vals):
        result = super().write(vals)
        if {"case_type_id", "line_ids", "date"} & set(vals):
            self._sync_evidence()
        return result

    def _required_document_names(self):
        """The case type's documents, and the collection records when an
        invoice is more than three years overdue."""
        self.ensure_one()
        names = self.case_type_id._required_document_names() if self.case_type_id else []
        limit = self.date and self.date - relativedelta(years=self._ctrl_collection_records_years)
        if limit and any(due and due < limit for due in self.line_ids.move_id.mapped("invoice_date_due")):
            records = _("Collection records")
            if records not in names:
                names.append(records)
        return names

    def _sync_evidence(self):
        """One evidence line per required document; lines no longer required
        go unless a file is attached to them."""
        for writeoff in self.filtered(lambda w: w._ctrl_is_draft()):
            names = writeoff._required_document_names()
            writeoff.evidence_ids.filtered(
                lambda e, required=names: e.name not in required and not e.attachment_ids).unlink()
            present = {evidence.name: evidence for evidence in writeoff.evidence_ids}
            for index, name in enumerate(names):
                if name in present and present[name].sequence != index:
                    present[name].sequence = index
            self.env["ctrl.writeoff.evidence"].create([
                {"writeoff_id": writeoff.id, "name": name, "sequence": index}
                for index, name in enumerate(names) if name not in present])

    def _check_evidence(self):
        self.ensure_one()
        if not self.case_type_id:
            raise ValidationError(_("Write-off %(name)s: choose the case type; it decides the documents to "
                                    "attach.", name=self.name))
        self._sync_evidence()
        missing = self.evidence_ids.filtered(lambda e: not e.attachment_ids).sorted("sequence")
        if missing:
            raise UserError(_("Write-off %(name)s: attach %(documents)s (Required documents) before submitting.",
                              name=self.name, documents=", ".join(missing.mapped("name"))))

    def action_submit(self):
        self.check_access("write")
        for writeoff in self:
            if writeoff.state != "draft":
                raise UserError(_("Only a draft write-off can be submitted."))
            writeoff._check_submittable()
            writeoff._check_review()
            # At submission only: the approval's fingerprint then binds the evidence, and a write-off
            # submitted before case types existed is still approved as it was submitted.
            writeoff._check_evidence()
            writeoff._check_allowance()
            writeoff._ctrl_submit(
                amount=writeoff.amount,
                reason=_("Write-off %(amount)s of %(partner)s", amount=writeoff.currency_id.format(writeoff.amount),
                         partner=writeoff.partner_id.name))
            writeoff.line_ids.move_id.sudo().write({"ctrl_recv_d13_state": "doubtful",
                                                    "ctrl_recv_d13_since": fields.Date.context_today(self)})
        return True

    def _ctrl_on_approved(self, request):
        for writeoff in self:
            writeoff._post()

    def _ctrl_on_rejected(self, request):
        self._ctrl_clear_doubtful()

    def action_ctrl_withdraw(self):
        result = super().action_ctrl_withdraw()
        self._ctrl_clear_doubtful()
        return result

    def _ctrl_clear_doubtful(self):
        self.line_ids.move_id.filtered(lambda m: m.ctrl_recv_d13_state == "doubtful").sudo().write(
            {"ctrl_recv_d13_state": False})

    # Accounting ---------------------------------------------------------------------
    def _post(self):
        """Charge the allowance, clear the invoices' receivable lines, keep the case."""
        self.ensure_one()
        self._check_submittable()
        available, expense = self._check_allowance()
        # At most the allowance there is: taking more would turn it into a debit balance.
        from_allowance = min(self.amount, available)
        to_expense = self.currency_id.round(self.amount - from_allowance)
        label = _("Bad-debt write-off %(name)s", name=self.name)
        lines = []
        if not self.currency_id.is_zero(from_allowance):
            lines.append(fields.Command.create({"name": label, "account_id": self.allowance_account_id.id,
                                                "debit": from_allowance, "partner_id": self.partner_id.id}))
        if not self.currency_id.is_zero(to_expense):
            lines.append(fields.Command.create({
                "name": _("%(label)s (beyond the allowance)", label=label), "account_id": expense.id,
                "debit": to_expense, "partner_id": self.partner_id.id}))
        for line in self.line_ids:
            lines.append(fields.Command.create({
                "name": f"{label}: {line.move_id.name}", "account_id": line.receivable_line_id.account_id.id,
                "credit": line.amount, "partner_id": line.move_id.commercial_partner_id.id}))
        move = self.env["account.move"].sudo().create({
            "move_type": "entry", "journal_id": self.journal_id.id, "date": self.date, "ref": self.name,
            "company_id": self.company_id.id, "line_ids": lines})
        move.action_post()
        credit_lines = move.line_ids.filtered(lambda ln: ln.credit)
        for line, credit in zip(self.line_ids, credit_lines):
            (line.receivable_line_id + credit).reconcile()
            line.move_id.sudo().write({"ctrl_recv_written_off": line.move_id.ctrl_recv_written_off + line.amount,
                                       "ctrl_recv_d13_state": "bad"})
        self._ctrl_set_state("posted", move_id=move.id)
        self.activity_schedule("mail.mail_activity_data_todo", date_deadline=self.tax_filing_deadline,
                               user_id=self.create_uid.id,
                               summary=_("File the write-off with the tax office (by day 45 of next year)"))
        self._message_log(body=_("Written off; the case stays open for collection."))

    def action_recover(self, amount, date=None):
        """A written-off debt is paid after all: reinstate the receivable
        against the allowance, so that the payment can be matched to it."""
        self.ensure_one()
        self._check_manager()
        if self.state != "posted":
            raise UserError(_("Only a posted write-off can be recovered."))
        remaining = self.amount - self.recovered_amount
        if self.currency_id.compare_amounts(amount, 0.0) <= 0 or \
                self.currency_id.compare_amounts(amount, remaining) > 0:
            raise ValidationError(_("A recovery must be positive and at most the %(remaining)s still written off.",
                                    remaining=self.currency_id.format(remaining)))
        receivable = self.partner_id.with_company(self.company_id).property_account_receivable_id
        label = _("Recovery of written-off debt %(name)s", name=self.name)
        move = self.env["account.move"].sudo().create({
            "move_type": "entry", "journal_id": self.journal_id.id, "date": date or fields.Date.context_today(self),
            "ref": self.name, "company_id": self.company_id.id,
            "line_ids": [
                fields.Command.create({"name": label, "account_id": receivable.id, "debit": amount,
                                       "partner_id": self.partner_id.id}),
                fields.Command.create({"name": label, "account_id": self.allowance_account_id.id,
                                       "credit": amount, "partner_id": self.partner_id.id}),
            ]})
        move.action_post()
        self._ctrl_write_protected({"recovery_move_ids": [(4, move.id)],
                                    "recovered_amount": self.recovered_amount + amount})
        self._message_log(body=_("Recovered %(amount)s (%(move)s).", amount=self.currency_id.format(amount),
                                 move=move.name))
        return move

    def _check_manager(self):
        if not self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
            raise AccessError(_("Only Receivables managers can cancel a write-off or book a recovery."))

    def action_cancel(self):
        """Cancel; a posted write-off is reversed and the invoices reopen."""
        self._check_manager()
        for writeoff in self.filtered(lambda w: w.state != "cancelled"):
            if writeoff.state == "posted":
                if writeoff.recovery_move_ids:
                    raise UserError(_("Write-off %(name)s has recoveries: it cannot be cancelled.",
                                      name=writeoff.name))
                entry = writeoff.move_id.sudo()
                entry.line_ids.remove_move_reconcile()
                reversal = entry._reverse_moves(
                    [{"date": writeoff.date, "ref": _("Reversal of %(name)s", name=writeoff.name)}], cancel=True)
                writeoff._ctrl_write_protected({"reversal_move_id": reversal.id})
                for line in writeoff.line_ids:
                    line.move_id.sudo().ctrl_recv_written_off -= line.amount
            writeoff._ctrl_approval_requests("writeoff", ["pending"]).with_env(self.env).action_cancel()
            writeoff.line_ids.move_id.sudo().write({"ctrl_recv_d13_state": False})
            writeoff._ctrl_set_state("cancelled")
        return True
