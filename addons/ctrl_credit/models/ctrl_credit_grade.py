# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class CtrlCreditGrade(models.Model):
    """A credit grade: a band of 5C scores with its default limit, term and policy."""

    _name = "ctrl.credit.grade"
    _description = "Credit Grade"
    _order = "company_id, min_score desc"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_score = fields.Float("Score from", required=True, aggregator=False)
    max_score = fields.Float("Score below", required=True, aggregator=False,
                             help="Upper bound, exclusive (101 for the top grade).")
    default_limit = fields.Monetary("Default credit limit", currency_field="currency_id", aggregator=False)
    term_days = fields.Integer("Credit term (days)", aggregator=False)
    policy = fields.Selection(
        [("credit", "Credit allowed"), ("deposit", "Deposit required"), ("cash", "Cash before delivery")],
        required=True, default="credit",
    )
    deposit_percent = fields.Float("Deposit (%)", aggregator=False)
    # 001/AR02.7, N16: a secured customer's limit is the secured value of its collateral.
    limit_basis = fields.Selection(
        [("rating", "Limit of record"), ("collateral", "Collateral")], "Credit limit from", required=True,
        default="rating",
        help="Limit of record: the customer's credit limit, set by an approved evaluation or limit change. "
             "Collateral: the sum of the customer's active collateral valid on the day (none: no credit).")
    # 003/D7 第五条 (discount standard per customer), R6.3/R6.4.
    max_discount = fields.Float(
        "Maximum discount (%)", aggregator=False,
        help="Discount the customers of this grade may get beyond the price list's own without approval "
             "(when prices and discounts are approved).")

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "A grade code is unique per company.")]

    @api.constrains("default_limit", "term_days", "deposit_percent", "min_score", "max_score", "max_discount")
    def _check_values(self):
        for grade in self:
            if grade.default_limit < 0:
                raise ValidationError(_("Grade %(grade)s: the default credit limit cannot be negative.",
                                        grade=grade.name))
            if grade.term_days < 0:
                raise ValidationError(_("Grade %(grade)s: the credit term cannot be negative.", grade=grade.name))
            if not 0 <= grade.deposit_percent <= 100:
                raise ValidationError(_("Grade %(grade)s: the deposit share must be between 0 and 100%%.",
                                        grade=grade.name))
            if not 0 <= grade.max_discount <= 100:
                raise ValidationError(_("Grade %(grade)s: the Maximum discount must be between 0 and 100%%.",
                                        grade=grade.name))
            if grade.min_score >= grade.max_score:
                raise ValidationError(_("Grade %(grade)s: 'Score from' must be below 'Score below'.",
                                        grade=grade.name))

    @api.constrains("min_score", "max_score", "active", "company_id")
    def _check_bands(self):
        """The grades of a company tile the scores: no overlap, no gap."""
        for company in self.company_id:
            grades = self.search([("company_id", "=", company.id)]).sorted("min_score")
            for low, high in zip(grades, grades[1:]):
                cmp = float_compare(low.max_score, high.min_score, precision_digits=2)
                if cmp > 0:
                    raise ValidationError(_("Grades %(a)s and %(b)s overlap: 'Score below' of %(a)s must equal "
                                            "'Score from' of %(b)s.", a=low.name, b=high.name))
                if cmp < 0:
                    raise ValidationError(_("Grades %(a)s and %(b)s leave a gap between %(x)s and %(y)s.",
                                            a=low.name, b=high.name, x=low.max_score, y=high.min_score))

    @api.model
    def _for_score(self, score, company):
        return self.search([("company_id", "=", company.id), ("min_score", "<=", score),
                            ("max_score", ">", score)], limit=1)
