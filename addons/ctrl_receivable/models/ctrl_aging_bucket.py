# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlAgingBucket(models.Model):
    """One column of an aging scheme: ages from 'From' to 'To', both included."""

    _name = "ctrl.aging.bucket"
    _description = "Aging Bucket"
    _order = "scheme_id, no_lower desc, age_from, sequence, id"

    scheme_id = fields.Many2one("ctrl.aging.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Label", required=True, translate=True)
    no_lower = fields.Boolean("No lower bound", help="The first bucket: every age up to 'To'.")
    age_from = fields.Integer("From", help="Lowest age in this bucket (included).")
    no_upper = fields.Boolean("No upper bound", help="The last bucket: every age from 'From'.")
    age_to = fields.Integer("To", help="Highest age in this bucket (included).")
    rate = fields.Float(
        "Provision rate (%)", digits=(16, 2),
        help="Bad-debt provision rate for receivables in this bucket (provisioning schemes).")

    @api.constrains("age_from", "age_to", "no_lower", "no_upper")
    def _check_bounds(self):
        for bucket in self:
            if not bucket.no_lower and not bucket.no_upper and bucket.age_to < bucket.age_from:
                raise ValidationError(_(
                    "Bucket %(bucket)s: 'To' (%(to)s) must not be below 'From' (%(from)s).",
                    bucket=bucket.name, to=bucket.age_to, **{"from": bucket.age_from}))

    @api.constrains("rate")
    def _check_rate(self):
        for bucket in self:
            if not 0.0 <= bucket.rate <= 100.0:
                raise ValidationError(_(
                    "Bucket %(bucket)s: the provision rate must be between 0 and 100%% (got %(rate)s).",
                    bucket=bucket.name, rate=bucket.rate))

    @api.constrains("age_from", "age_to", "no_lower", "no_upper", "scheme_id")
    def _check_scheme_tiling(self):
        self.scheme_id._check_buckets()

    def unlink(self):
        schemes = self.scheme_id
        result = super().unlink()
        schemes.exists()._check_buckets()
        return result

    @api.depends("name", "scheme_id")
    def _compute_display_name(self):
        for bucket in self:
            bucket.display_name = bucket.name

    @api.model
    def _summary_names(self, rows):
        """{bucket id: its name in the reader's language} for the rows of a stored
        summary; a bucket deleted since keeps the name the row was computed with."""
        ids = [row["bucket_id"] for row in rows if row.get("bucket_id")]
        names = {bucket.id: bucket.name for bucket in self.sudo().browse(ids).exists()}
        return {row.get("bucket_id"): names.get(row.get("bucket_id"), row["name"]) for row in rows}
