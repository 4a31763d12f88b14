# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .ctrl_credit_limit_change import APPROVED_KEY


class CtrlCreditEvaluation(models.Model):
    """A customer's credit file: a 5C evaluation prepared by sales, reviewed by
    finance and approved through a ctrl_base approval (kind 'evaluation').

    Guarded by ``ctrl.lifecycle.mixin``: the state, the current-file flag and
    the computed results (score, grade) are set only by the workflow; the
    content (customer, date, scores, proposal) is locked once submitted and
    fingerprinted on the request; a rejection returns the evaluation to draft.
    The approval applies exactly what was approved."""

    _name = "ctrl.credit.evaluation"
    _description = "Credit Evaluation (5C)"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _ctrl_sequence_code = "ctrl.credit.evaluation"
    _ctrl_protected_fields = ("is_current", "total_score", "grade_id")
    _ctrl_content_fields = ("partner_id", "company_id", "date", "line_ids", "new_customer", "proposed_limit",
                            "proposed_term_days")
    _ctrl_approval_kind = "evaluation"
    _ctrl_submitted_state = "review"
    _ctrl_approved_state = "approved"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    partner_id = fields.Many2one("res.partner", required=True, tracking=True, index=True,
                                 domain="[('is_company', '=', True)]")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    # A rejection returns to draft ('rejected' was migrated to 'draft' in 18.0.1.1.0).
    state = fields.Selection(
        [("draft", "Draft"), ("review", "Under approval"), ("approved", "Approved")],
        default="draft", required=True, tracking=True, readonly=True, copy=False,
    )
    line_ids = fields.One2many("ctrl.credit.evaluation.line", "evaluation_id", copy=True)
    total_score = fields.Float(compute="_compute_total", store=True, tracking=True)
    grade_id = fields.Many2one("ctrl.credit.grade", compute="_compute_total", store=True, tracking=True)
    new_customer = fields.Boolean(
        default=True, help="New customers get the company's share (default 50%) of the grade's limit and term.")
    proposed_limit = fields.Monetary(compute="_compute_proposal", store=True, readonly=False, tracking=True)
    proposed_term_days = fields.Integer(compute="_compute_proposal", store=True, readonly=False, tracking=True)
    note = fields.Html("Findings")
    is_current = fields.Boolean(
        "Current file", readonly=True, copy=False, index=True,
        help="The customer's latest approved evaluation: the re-evaluation ladder counts from its date.")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered(lambda e: not e.line_ids)._add_criteria_lines()
        return records

    def _add_criteria_lines(self):
        for evaluation in self:
            criteria = self.env["ctrl.credit.criterion"].search([("company_id", "=", evaluation.company_id.id)])
            evaluation.line_ids = [fields.Command.create({"criterion_id": c.id}) for c in criteria]

    @api.depends("line_ids.weighted", "company_id")
    def _compute_total(self):
        for evaluation in self:
            evaluation.total_score = sum(evaluation.line_ids.mapped("weighted"))
            evaluation.grade_id = self.env["ctrl.credit.grade"]._for_score(
                evaluation.total_score, evaluation.company_id)

    @api.depends("grade_id", "new_customer")
    def _compute_proposal(self):
        for evaluation in self:
            share = evaluation.company_id.ctrl_credit_new_customer_share / 100.0 if evaluation.new_customer else 1.0
            grade = evaluation.grade_id
            evaluation.proposed_limit = evaluation.currency_id.round(grade.default_limit * share)
            evaluation.proposed_term_days = round(grade.term_days * share)

    def _ctrl_approval_fingerprint(self, kind):
        if kind != self._ctrl_approval_kind:
            return super()._ctrl_approval_fingerprint(kind)
        # The results too: a change of the criteria's weights or of the grade table while it waits changes
        # the grade, and the approval must not apply a grade nobody approved.
        return self._ctrl_fingerprint_of(self._ctrl_content_fields + ("total_score", "grade_id"))

    def _ctrl_approval_amount(self, kind):
        return self.proposed_limit

    def action_submit(self):
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(_("Only a draft evaluation can be submitted."))
            self.env["ctrl.credit.criterion"]._check_weight_total(evaluation.company_id)
            if not evaluation.grade_id:
                raise UserError(_("No grade covers the score %(score)s: check the grade table.",
                                  score=evaluation.total_score))
            if evaluation.proposed_limit < 0:
                raise UserError(_("The proposed credit limit cannot be negative."))
            evaluation._ctrl_submit(
                amount=evaluation.proposed_limit,
                reason=_("Grade %(grade)s, limit %(limit)s, term %(days)s days",
                         grade=evaluation.grade_id.code, limit=evaluation.proposed_limit,
                         days=evaluation.proposed_term_days),
                payload=evaluation._ctrl_submitted_values())
        return True

    def _ctrl_submitted_values(self):
        """What the approval authorises, kept on the request."""
        self.ensure_one()
        return {"partner_id": self.partner_id.commercial_partner_id.id, "company_id": self.company_id.id,
                "grade_id": self.grade_id.id, "credit_limit": self.proposed_limit,
                "term_days": self.proposed_term_days, "date": fields.Date.to_string(self.date),
                "score": self.total_score}

    def _ctrl_on_approved(self, request):
        """Write the approved grade, limit and term on the customer: the values
        the request was submitted with (ctrl_base approved it only while the
        evaluation still matched them)."""
        for evaluation in self:
            values = request.payload or evaluation._ctrl_submitted_values()
            company = self.env["res.company"].browse(values["company_id"])
            partner = self.env["res.partner"].browse(values["partner_id"]).with_company(company).sudo()
            grade = self.env["ctrl.credit.grade"].browse(values["grade_id"])
            # The approved evaluation is the authorisation of the new limit and grade.
            partner.with_context(**{APPROVED_KEY: True}).write({
                "ctrl_credit_grade_id": grade.id,
                "credit_limit": values["credit_limit"],
                "ctrl_credit_term_days": values["term_days"],
                "ctrl_credit_evaluation_date": values["date"],
            })
            self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.id),
                                ("is_current", "=", True)])._ctrl_write_protected({"is_current": False})
            evaluation._ctrl_write_protected({"is_current": True})
            partner.message_post(body=_(
                "Credit evaluation %(name)s approved: grade %(grade)s (score %(score).1f), credit limit %(limit)s, "
                "term %(days)s days.", name=evaluation.name, grade=grade.code, score=values["score"],
                limit=values["credit_limit"], days=values["term_days"]))
            partner.ctrl_credit_hold_ids.filtered(
                lambda h: h.state == "active" and h.reason == "no_credit_file")._ctrl_lift(_("Credit file approved."))
