# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class CtrlCreditCriterion(models.Model):
    """One of the 5C criteria (品质/能力/资本/担保/条件) with its scale and weight."""

    _name = "ctrl.credit.criterion"
    _description = "Credit Criterion (5C)"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    scale_max = fields.Float("Scale (max score)", required=True, default=10.0)
    weight = fields.Float("Weight (%)", required=True)
    guidance = fields.Text(translate=True)

    @api.constrains("scale_max", "weight", "active", "company_id")
    def _check_weights(self):
        for criterion in self:
            if criterion.scale_max <= 0:
                raise ValidationError(_("Criterion %(c)s: the scale must be above 0.", c=criterion.name))
            if criterion.weight < 0:
                raise ValidationError(_("Criterion %(c)s: the weight cannot be negative.", c=criterion.name))

    @api.model
    def _check_weight_total(self, company):
        """Weights must sum to 100%; checked when an evaluation is computed, so
        that an administrator can change several weights one after the other."""
        total = sum(self.search([("company_id", "=", company.id)]).mapped("weight"))
        if float_compare(total, 100.0, precision_digits=2):
            raise ValidationError(_("The weights of the 5C criteria must sum to 100%% (now %(total)s%%). "
                                    "Adjust the Weight column in Credit Control > Configuration > 5C Criteria.",
                                    total=total))
