# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlChecklistTemplate(models.Model):
    """A list of items to sign off, to which several addons contribute
    (departure handover: ctrl_backup adds data, media and accounts;
    ctrl_receivable adds customers and receivables)."""

    _name = "ctrl.checklist.template"
    _description = "Checklist Template"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, index=True, help="Technical key, e.g. 'departure'.")
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    res_model = fields.Char(
        "Applies to", help="Model whose records get this checklist (empty: any)."
    )
    company_id = fields.Many2one("res.company", index=True)
    item_ids = fields.One2many("ctrl.checklist.template.item", "template_id", copy=True)
    deadline_days = fields.Integer(default=30, help="Days from the start until the checklist is due.")
    description = fields.Html(translate=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A checklist code is unique per company."),
    ]

    def _for(self, code, company=None):
        company = company or self.env.company
        return self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company.id, False])],
            order="company_id nulls last", limit=1,
        )
