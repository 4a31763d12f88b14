# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlGoLivePreviewLine(models.TransientModel):
    """One level of a go-live preview: what its next run would do."""

    _name = "ctrl.go.live.preview.line"
    _description = "Go-live Preview Level"
    _order = "id"

    preview_id = fields.Many2one("ctrl.go.live.preview", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="preview_id.company_id")
    ladder_id = fields.Many2one("ctrl.escalation.ladder", "Ladder", readonly=True)
    level_id = fields.Many2one("ctrl.escalation.level", "Level", readonly=True)
    days = fields.Integer(related="level_id.days")
    record_count = fields.Integer(
        "Acted on", readonly=True,
        help="Documents this level would act on: its activities, mails and the other actions it takes.")
    placed_count = fields.Integer(
        "Recorded only", readonly=True,
        help="Older documents recorded at this level without its actions (choice for older documents: "
        "record them at their level).")
    group_count = fields.Integer(
        "Customers or groups", readonly=True,
        help="Distinct customers among the documents acted on, or the groups of documents that share one "
        "activity at this level.")
    activity_count = fields.Integer("Activities", readonly=True, help="Activities the run would schedule.")
    user_ids = fields.Many2many("res.users", string="Activities for", readonly=True)
    mail_count = fields.Integer("Mails", readonly=True, help="Mails the run would queue.")
    note = fields.Char(readonly=True)
