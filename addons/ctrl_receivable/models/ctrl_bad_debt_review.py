# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from dateutil.relativedelta import relativedelta
from psycopg2 import errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CtrlBadDebtReview(models.Model):
    """The monthly bad-debt review (坏账申请批复表, 003/R13.11): at the start
    of each month finance lists the doubtful receivables, finds for each one
    who is responsible, for what share and why (003/R1.28), and submits the
    form for the department head's approval (ctrl_base approvals, kind
    ``bad_debt_review``). Only then are the write-offs prepared: each goes
    through its own approval before anything is posted.

    One review per company and month (a unique index): the scheduled action
    prepares it once, a second worker or a rerun finds it there. Guarded by
    ``ctrl.lifecycle.mixin``: the state is set by its buttons only; what was
    found is locked once submitted and bound to the approval."""

    _name = "ctrl.bad.debt.review"
    _description = "Bad-debt Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        "Review date", required=True, tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        help="The receivables open on this date are reviewed; its month is the review's month.")
    period = fields.Char("Month", compute="_compute_period", store=True, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved"), ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, index=True, copy=False)
    line_ids = fields.One2many("ctrl.bad.debt.review.line", "review_id", string="Receivables", copy=False)
    amount = fields.Monetary(
        "Bad debt proposed", compute="_compute_amount", store=True, tracking=True,
        help="Open amount of the receivables proposed as bad debt.")
    writeoff_ids = fields.Many2many("ctrl.writeoff", compute="_compute_writeoff_ids", string="Write-offs")
    writeoff_count = fields.Integer("Write-off count", compute="_compute_writeoff_ids")
    note = fields.Text("Remarks")

    _ctrl_sequence_code = "ctrl.bad.debt.review"
    _ctrl_approval_kind = "bad_debt_review"
    _ctrl_submitted_state = "to_approve"
    _ctrl_approved_state = "approved"
    _ctrl_protected_fields = ("amount", "period")
    _ctrl_content_fields = ("company_id", "date", "line_ids")

    def init(self):
        # Once per company and month, whoever prepares it (the scheduled action on two workers, a user).
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS ctrl_bad_debt_review_month_uniq
                               ON ctrl_bad_debt_review (company_id, period) WHERE state != 'cancelled'""")

    @api.depends("date")
    def _compute_period(self):
        for review in self:
            review.period = review.date and review.date.strftime("%Y-%m")

    @api.depends("line_ids.amount", "line_ids.decision")
    def _compute_amount(self):
        for review in self:
            review.amount = review.currency_id.round(
                sum(review.line_ids.filtered(lambda ln: ln.decision == "bad").mapped("amount")))

    def _compute_writeoff_ids(self):
        for review in self:
            review.writeoff_ids = review.line_ids.writeoff_id
            review.writeoff_count = len(review.writeoff_ids)

    # Candidates ------------------------------------------------------------------
    @api.model
    def _candidates_sql(self, company, date):
        """SELECT of the doubtful receivables (准呆账, 003/D13 §3) of ``company``
        open at ``date``, one row per invoice: move_id, date_maturity,
        days_due, amount, user_id, basis. Doubtful is: past due beyond the
        company's 'Bad after' days; under collection while sales to the
        customer have been stopped for over a month; or in a legal case. Set
        based, on the aging engine's open items; invoices already doubtful
        (a write-off waits for approval) are left out."""
        engine = self.env["ctrl.aging.engine"]
        engine._flush()
        self.env["account.move"].flush_model(["move_type", "ctrl_recv_d13_state", "commercial_partner_id"])
        self.env["ctrl.credit.hold"].flush_model(["partner_id", "company_id", "reason", "state", "date_since"])
        Case = self.env["ctrl.collection.case"]
        Case.flush_model(["kind", "state", "move_ids"])
        rel = Case._fields["move_ids"]
        scheme = company._ctrl_recv_scheme("collection")
        stopped_since = date - relativedelta(months=1)
        return SQL(
            """SELECT items.move_id, MIN(items.date_maturity) AS date_maturity, MAX(items.days_due) AS days_due,
                      SUM(items.amount) AS amount, MAX(items.user_id) AS user_id,
                      CASE WHEN MAX(items.days_due) >= %(bad_days)s THEN 'aged'
                           WHEN bool_or(legal.id IS NOT NULL) THEN 'legal' ELSE 'stopped' END AS basis
                 FROM (%(items)s) items
                 JOIN account_move move ON move.id = items.move_id
            LEFT JOIN LATERAL (SELECT c.id FROM ctrl_collection_case c
                                 JOIN %(rel)s r ON r.%(case_col)s = c.id AND r.%(move_col)s = move.id
                                WHERE c.kind = 'legal' AND c.state != 'closed' LIMIT 1) legal ON TRUE
                WHERE move.move_type = 'out_invoice'
                  AND move.ctrl_recv_d13_state IS DISTINCT FROM 'doubtful'
                  AND (items.days_due >= %(bad_days)s OR legal.id IS NOT NULL
                       OR (move.ctrl_recv_d13_state = 'collection' AND EXISTS (
                              SELECT 1 FROM ctrl_credit_hold hold
                               WHERE hold.partner_id = move.commercial_partner_id
                                 AND hold.company_id = move.company_id AND hold.state = 'active'
                                 AND hold.reason = 'd13_suspension' AND hold.date_since::date <= %(stopped)s)))
             GROUP BY items.move_id
               HAVING SUM(items.amount) > 0""",
            items=engine._open_items_sql(date, company, scheme, with_move=True),
            bad_days=company.ctrl_recv_class_bad_days, rel=SQL.identifier(rel.relation),
            case_col=SQL.identifier(rel.column1), move_col=SQL.identifier(rel.column2), stopped=stopped_since)

    def action_fill(self):
        """List the doubtful receivables again (a draft only): lines already
        there keep their finding, new ones are added."""
        self._check_finance()
        for review in self:
            if review.state != "draft":
                raise UserError(_("%(review)s is not a draft: its receivables are fixed.", review=review.name))
            review._fill()
        return True

    @api.model
    def _candidates(self, company, date):
        self.env.cr.execute(self._candidates_sql(company, date))
        return self.env.cr.dictfetchall()

    def _fill(self, rows=None):
        """Add the candidates (``rows`` of ``_candidates``) not listed yet; the
        snapshot columns are written by the server only."""
        self.ensure_one()
        rows = self._candidates(self.company_id, self.date) if rows is None else rows
        present = set(self.line_ids.move_id.ids)
        self.env["ctrl.bad.debt.review.line"].sudo().create([{
            "review_id": self.id, "move_id": row["move_id"], "amount": self.currency_id.round(row["amount"]),
            "days_due": row["days_due"], "basis": row["basis"], "responsible_user_id": row["user_id"],
        } for row in rows if row["move_id"] not in present])
        return len(rows)

    @api.model
    def _cron_prepare(self):
        """Monthly, at the start of the month: the review of the month for each
        company whose internal controls are active, once (a review already
        there, whatever its state but cancelled, is left to finance). A
        company without any doubtful receivable gets none."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        companies = self.env["res.company"]._ctrl_live_companies()
        done = 0
        for company in companies:
            if not self.sudo().search_count([("company_id", "=", company.id), ("period", "=", month.strftime("%Y-%m")),
                                             ("state", "!=", "cancelled")], limit=1):
                rows = self._candidates(company, month)
                if rows:
                    try:
                        with self.env.cr.savepoint():
                            review = self.sudo().with_company(company).create(
                                {"company_id": company.id, "date": month})
                            review._fill(rows)
                            review._ctrl_notify_finance()
                    except errors.UniqueViolation:
                        _logger.info("Bad-debt review %s of %s: prepared by another worker meanwhile",
                                     month.strftime("%Y-%m"), company.name)
            done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(companies) - done)

    def _ctrl_notify_finance(self):
        """An activity to the receivables managers: review and submit it."""
        users = self.env.ref("ctrl_receivable.group_receivable_manager").users.filtered(
            lambda u: u.active and not u.share)
        for review in self:
            for user in users.filtered(lambda u, company=review.company_id: company in u.company_ids):
                review.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id, date_deadline=review.date + relativedelta(days=9),
                    summary=_("Bad-debt review %(month)s: find who is responsible and submit it", month=review.period))

    # Transitions ---------------------------------------------------------------
    def _check_finance(self):
        if not (self.env.su or self.env.user.has_group("ctrl_receivable.group_receivable_user")):
            raise AccessError(_("Only Receivables users (finance) prepare and submit the bad-debt review."))

    def _ctrl_approval_amount(self, kind):
        return self.amount

    def action_submit(self):
        self._check_finance()
        self.check_access("write")
        for review in self:
            if review.state != "draft":
                raise UserError(_("Only a draft bad-debt review can be submitted."))
            bad = review.line_ids.filtered(lambda ln: ln.decision == "bad")
            if not bad:
                raise ValidationError(_("%(review)s: propose at least one receivable as bad debt (Decision), or "
                                        "cancel the review.", review=review.name))
            bad._check_finding()
            review._ctrl_submit(amount=review.amount, reason=_(
                "Bad-debt review %(month)s: %(amount)s", month=review.period,
                amount=review.currency_id.format(review.amount)))
        return True

    def _ctrl_on_approved(self, request):
        for review in self:
            review._message_log(body=_("Approved: the receivables marked bad debt can now be written off."))

    def action_cancel(self):
        if not self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
            raise AccessError(_("Only Receivables managers cancel a bad-debt review."))
        for review in self.filtered(lambda r: r.state != "cancelled"):
            if review.line_ids.writeoff_id.filtered(lambda w: w.state != "cancelled"):
                raise UserError(_("%(review)s has write-offs: cancel them first.", review=review.name))
            review._ctrl_approval_requests(review._ctrl_approval_kind, ["pending"]).with_env(self.env).action_cancel()
            review._ctrl_set_state("cancelled")
        return True

    def action_create_writeoffs(self):
        """Draft write-offs of the approved bad debts: one per customer and
        write-off reason, the finding as the explanation. Each is then
        submitted with its evidence and approved on its own."""
        self._check_finance()
        Writeoff = self.env["ctrl.writeoff"]
        for review in self:
            if review.state != "approved" or not review._ctrl_is_approved(review._ctrl_approval_kind):
                raise UserError(_("%(review)s is not approved: write-offs come after the approval.",
                                  review=review.name))
            todo = review.line_ids.filtered(lambda ln: ln.decision == "bad" and not ln.writeoff_id
                                            and ln.move_id.payment_state in ("not_paid", "partial"))
            if not todo:
                raise UserError(_("%(review)s: every approved bad debt already has its write-off.",
                                  review=review.name))
            for (partner, reason), lines in todo.grouped(
                    lambda ln: (ln.move_id.commercial_partner_id, ln.writeoff_reason)).items():
                writeoff = Writeoff.create({
                    "partner_id": partner.id, "company_id": review.company_id.id, "reason": reason,
                    "date": fields.Date.context_today(self),
                    "explanation": "\n".join(f"{line.move_id.name}: {line._finding_text()}" for line in lines),
                    "line_ids": [fields.Command.create({
                        "move_id": line.move_id.id,
                        "amount": min(line.amount, line.move_id.amount_residual_signed)}) for line in lines],
                })
                for line in lines:
                    line.sudo().writeoff_id = writeoff
                review._message_log(body=_("Write-off %(writeoff)s prepared.", writeoff=writeoff.name))
        return self.action_view_writeoffs()

    def action_view_writeoffs(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_receivable.ctrl_writeoff_action")
        action["domain"] = [("id", "in", self.writeoff_ids.ids)]
        return action
