# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CtrlSixsGrade(models.Model):
    """An area grade (V07: the department grades its areas, 「各区域等级的初评」; seed-001
    §9 #15). The policy names grades but gives neither their names nor their
    thresholds (§8), so the shipped grades are a design default in data (noupdate):
    an area's grade is the highest one whose lowest score its average inspection
    score of the month reaches. A company's own grades replace the shared ones."""

    _name = "ctrl.sixs.grade"
    _description = "6S Area Grade"
    _order = "min_score desc, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code shown in rankings, e.g. A.")
    min_score = fields.Float(
        "Lowest score", required=True,
        help="Lowest average inspection score of the month (100 minus the points each inspection lost) that earns "
        "this grade.")
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by all companies.")

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "A grade code is unique per company.")]

    @api.constrains("min_score")
    def _check_min_score(self):
        for grade in self:
            if not 0 <= grade.min_score <= 100:
                raise ValidationError(self.env._(
                    "Grade %(grade)s: the 'Lowest score' must be between 0 and 100.", grade=grade.name))

    @api.model
    def _ctrl_sixs_grades(self, company):
        """The grades that apply to ``company``: its own, else the shared ones."""
        grades = self.sudo().search([("company_id", "in", [company.id, False])])
        return grades.filtered("company_id") or grades
