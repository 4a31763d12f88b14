# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .ctrl_credit_limit_change import APPROVED_KEY


class CtrlCreditEvaluation(models.Model):
    """A customer's credit file: a 5C evaluation prepared by sales, reviewed by
    finance and approved through a ctrl_base approval (kind 'evaluation')."""

    _name = "ctrl.credit.evaluation"
    _description = "Credit Evaluation (5C)"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.approval.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    partner_id = fields.Many2one("res.partner", required=True, tracking=True, index=True,
                                 domain="[('is_company', '=', True)]")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("review", "Under approval"), ("approved", "Approved"), ("rejected", "Rejected")],
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
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("ctrl.credit.evaluation") or "/"
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

    def write(self, vals):
        locked = set(vals) - {"note", "message_follower_ids", "activity_ids", "is_current"}
        if locked and any(e.state in ("review", "approved") for e in self) and not self.env.su:
            raise UserError(_("An evaluation under approval or approved cannot be changed: make a new one."))
        return super().write(vals)

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
            request = evaluation._ctrl_request_approval(
                kind="evaluation", amount=evaluation.proposed_limit,
                reason=_("Grade %(grade)s, limit %(limit)s, term %(days)s days",
                         grade=evaluation.grade_id.code, limit=evaluation.proposed_limit,
                         days=evaluation.proposed_term_days))
            evaluation.state = "review"
            if not request:
                evaluation._apply()
        return True

    def action_reset_draft(self):
        self.filtered(lambda e: e.state == "rejected").sudo().write({"state": "draft"})
        return True

    def _ctrl_on_approval_done(self, request):
        if request.kind != "evaluation":
            return
        if request.state == "approved":
            self._apply()
        else:
            self.write({"state": "rejected"})

    def _apply(self):
        """Write the approved grade, limit and term on the customer."""
        for evaluation in self:
            partner = evaluation.partner_id.commercial_partner_id.with_company(evaluation.company_id).sudo()
            # The approved evaluation is the authorisation of the new limit and grade.
            partner.with_context(**{APPROVED_KEY: True}).write({
                "ctrl_credit_grade_id": evaluation.grade_id.id,
                "credit_limit": evaluation.proposed_limit,
                "ctrl_credit_term_days": evaluation.proposed_term_days,
                "ctrl_credit_evaluation_date": evaluation.date,
            })
            self.search([("partner_id", "=", partner.id), ("company_id", "=", evaluation.company_id.id),
                         ("is_current", "=", True)]).write({"is_current": False})
            evaluation.write({"state": "approved", "is_current": True})
            partner.message_post(body=_(
                "Credit evaluation %(name)s approved: grade %(grade)s (score %(score).1f), credit limit %(limit)s, "
                "term %(days)s days.", name=evaluation.name, grade=evaluation.grade_id.code,
                score=evaluation.total_score, limit=evaluation.proposed_limit, days=evaluation.proposed_term_days))
            partner.ctrl_credit_hold_ids.filtered(
                lambda h: h.state == "active" and h.reason == "no_credit_file")._ctrl_lift(_("Credit file approved."))
