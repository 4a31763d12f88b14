# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlBackupLocation(models.Model):
    """A cabinet or safe where backup media are kept, with the six protections of seed 000 B01-16."""

    _name = "ctrl.backup.location"
    _description = "Backup Media Location"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.checklist.mixin"]
    _order = "name"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    site = fields.Selection([("onsite", "On-site"), ("offsite", "Off-site")], required=True, default="onsite")
    custodian_id = fields.Many2one(
        "res.users", required=True, tracking=True, default=lambda self: self.env.user,
        help="The person who alone takes media in and out.",
    )
    media_ids = fields.One2many("maintenance.equipment", "ctrl_location_id", string="Media")
    media_count = fields.Integer(compute="_compute_media_count")
    last_inspection = fields.Date(compute="_compute_last_inspection")

    def _compute_media_count(self):
        for location in self:
            location.media_count = len(location.media_ids)

    @api.depends("ctrl_checklist_ids.state")
    def _compute_last_inspection(self):
        for location in self:
            closed = location.ctrl_checklist_ids.filtered(lambda c: c.code == "backup_location" and c.state != "open")
            location.last_inspection = max(closed.mapped("write_date")).date() if closed else False

    def action_inspect(self):
        """Start the protection checklist (fire, water, damp, magnetism, theft, rodents)."""
        checklists = self._ctrl_checklist_start("backup_location")
        if len(checklists) == 1:
            return {"type": "ir.actions.act_window", "res_model": "ctrl.checklist", "res_id": checklists.id,
                    "view_mode": "form"}
        return True
