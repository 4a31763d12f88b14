# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlProvisionRunLine(models.Model):
    """Required allowance for one customer and bucket (written by SQL)."""

    _name = "ctrl.provision.run.line"
    _description = "Bad-debt Provision Breakdown"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "run_id, partner_id, bucket_id"
    # Derived rows written by the hundred thousand: every stored many2one
    # costs a foreign-key check per row and every index an insert, so no
    # audit columns, no company column (the run carries who, when and which
    # company) and only the run is indexed (rows are read run by run).
    _log_access = False

    run_id = fields.Many2one("ctrl.provision.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", "Customer")
    bucket_id = fields.Many2one("ctrl.aging.bucket", "Bucket")
    excluded = fields.Boolean(
        "Not in full", help="Related party, current-year or unmatured items: the scheme rate is "
        "capped unless a specific provision applies.")
    specific_id = fields.Many2one("ctrl.provision.specific", "Specific provision")
    item_count = fields.Integer("Items")
    base_amount = fields.Monetary("Open amount")
    # Four decimals: a specific provision by amount is spread at the rate it makes, and the row still
    # reads base x rate = required allowance.
    rate = fields.Float("Rate (%)", digits=(16, 4), aggregator="avg")
    required_amount = fields.Monetary("Required allowance")
    note = fields.Char("Note", compute="_compute_note",
                       help="Why a row is not provided for at the scheme rate.")

    # Rows are the run's computation (inserted in SQL by the server): no client writes them.
    _ctrl_parent_field = "run_id"
    _ctrl_content_fields = ("partner_id", "bucket_id", "excluded", "specific_id", "item_count", "base_amount",
                            "rate", "required_amount")
    _ctrl_protected_fields = ("run_id", *_ctrl_content_fields)

    @api.depends("base_amount", "excluded", "specific_id")
    @api.depends_context("lang")
    def _compute_note(self):
        for line in self:
            if line.currency_id.compare_amounts(line.base_amount, 0.0) < 0:
                line.note = self.env._("Credit balance: owed to the customer, not provided for")
            elif line.specific_id:
                line.note = self.env._("Specific provision")
            elif line.excluded:
                line.note = self.env._("Not provided in full: rate capped")
            else:
                line.note = False

    @api.depends("partner_id.name", "bucket_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.partner_id.name, line.bucket_id.name]))
