# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlCreditEvaluationLine(models.Model):
    """A 5C score: changed only while its evaluation is a draft."""

    _name = "ctrl.credit.evaluation.line"
    _description = "Credit Evaluation Score"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "evaluation_id, sequence, id"
    _ctrl_parent_field = "evaluation_id"
    # What the evaluation's approval covers; every other field follows from them.
    _ctrl_content_fields = ("evaluation_id", "criterion_id", "score", "note")
    _ctrl_protected_fields = ("weighted", "sequence", "scale_max", "weight")

    evaluation_id = fields.Many2one("ctrl.credit.evaluation", required=True, ondelete="cascade", index=True)
    criterion_id = fields.Many2one("ctrl.credit.criterion", required=True, ondelete="restrict")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    scale_max = fields.Float(related="criterion_id.scale_max")
    weight = fields.Float(related="criterion_id.weight")
    score = fields.Float()
    weighted = fields.Float(compute="_compute_weighted", store=True, help="Score on a 0-100 scale times the weight.")
    note = fields.Char("Evidence")

    @api.depends("score", "criterion_id.scale_max", "criterion_id.weight")
    def _compute_weighted(self):
        for line in self:
            scale = line.criterion_id.scale_max or 1.0
            line.weighted = line.score / scale * line.criterion_id.weight

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= line.criterion_id.scale_max:
                raise ValidationError(_("Score for %(c)s must be between 0 and %(max)s (the criterion's scale).",
                                        c=line.criterion_id.name, max=line.criterion_id.scale_max))
