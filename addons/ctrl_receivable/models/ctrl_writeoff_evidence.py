# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlWriteoffEvidence(models.Model):
    """One required document of a write-off and the files attached for it.
    Changed only while the write-off is a draft; the approval's fingerprint
    covers the attachments (001/AR16.22)."""

    _name = "ctrl.writeoff.evidence"
    _description = "Write-off Evidence"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "writeoff_id, sequence, id"

    _ctrl_parent_field = "writeoff_id"
    _ctrl_content_fields = ("writeoff_id", "name", "attachment_ids")

    writeoff_id = fields.Many2one("ctrl.writeoff", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="writeoff_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Document", required=True)
    attachment_ids = fields.Many2many("ir.attachment", "ctrl_writeoff_evidence_attachment_rel", "evidence_id",
                                      "attachment_id", string="Files")
    attached = fields.Boolean(compute="_compute_attached")

    @api.depends("attachment_ids")
    def _compute_attached(self):
        for evidence in self:
            evidence.attached = bool(evidence.attachment_ids)

