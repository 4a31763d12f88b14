# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlBackupAccessReviewLine(models.Model):
    _name = "ctrl.backup.access.review.line"
    _rec_name = "user_id"
    _description = "Access Review Line"
    _order = "review_id, id"

    review_id = fields.Many2one("ctrl.backup.access.review", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", required=True)
    group_ids = fields.Many2many("res.groups", string="Groups held")
    decision = fields.Selection([("keep", "Keep"), ("change", "Too high / too low: change"),
                                 ("remove", "Remove access")])
    note = fields.Char()
