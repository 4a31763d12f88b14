# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlWriteoffCaseType(models.Model):
    """The kind of bad-debt case and the documents that prove it
    (001/AR16.22). A company adds its own types; the seed's come as data."""

    _name = "ctrl.writeoff.case.type"
    _description = "Write-off Case Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: available to every company.")
    required_documents = fields.Text(
        required=True, translate=True,
        help="One document per line; a write-off of this type is submitted only when each is attached.")

    def _required_document_names(self):
        self.ensure_one()
        return [name.strip() for name in (self.required_documents or "").splitlines() if name.strip()]
