# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.ctrl_base.tools.i18n import translate_code_terms

_lt = LazyTranslate(__name__)

# Default schemes (001 §5.1 consensus and AR02/AR29 provisioning table), created
# by code for each company: their names are translated by translate_code_terms.
SCHEME_NAMES = {
    "collection": _lt("Collection (days past due)"),
    "provision": _lt("Provisioning (age in years)"),
}
# (label, age_from, age_to or None, rate %)
COLLECTION_BUCKETS = [
    (_lt("Not due"), None, 0, 0.0),
    (_lt("1-10 days"), 1, 10, 0.0),
    (_lt("11-30 days"), 11, 30, 0.0),
    (_lt("31-60 days"), 31, 60, 0.0),
    (_lt("61-90 days"), 61, 90, 0.0),
    (_lt("91-180 days"), 91, 180, 0.0),
    (_lt("181-365 days"), 181, 365, 0.0),
    (_lt("Over 365 days"), 366, None, 0.0),
]
PROVISION_BUCKETS = [
    (_lt("Under 1 year"), None, 0, 5.0),
    (_lt("1-2 years"), 1, 1, 10.0),
    (_lt("2-3 years"), 2, 2, 20.0),
    (_lt("3-4 years"), 3, 3, 30.0),
    (_lt("4-5 years"), 4, 4, 50.0),
    (_lt("5 years or more"), 5, None, 100.0),
]


class CtrlAgingScheme(models.Model):
    """Ordered age buckets. Ages are whole days, months or years counted
    from the due date or from the invoice date, as of a given date."""

    _name = "ctrl.aging.scheme"
    _description = "Aging Bucket Scheme"
    _inherit = ["mail.thread"]
    _order = "company_id, purpose, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    purpose = fields.Selection(
        [("collection", "Collection"), ("provision", "Provisioning")],
        required=True, default="collection", tracking=True,
        help="Collection: reporting columns by days past due. Provisioning: the bad-debt rates "
        "per bucket of age since the invoice date.")
    basis = fields.Selection(
        [("due", "Due date"), ("invoice", "Invoice date")],
        string="Age counted from", required=True, default="due", tracking=True,
        help="Due date: days past the due date. Invoice date: age of the receivable since the invoice date.")
    unit = fields.Selection(
        [("day", "Days"), ("month", "Months"), ("year", "Years")],
        required=True, default="day", tracking=True, help="Unit of the bucket boundaries (whole units).")
    bucket_ids = fields.One2many("ctrl.aging.bucket", "scheme_id", string="Buckets", copy=True)

    @api.constrains("bucket_ids", "unit")
    def _check_buckets(self):
        """Buckets must cover every age exactly once: the first open below,
        the last open above, each starting right after the previous one."""
        for scheme in self:
            buckets = scheme.bucket_ids.sorted(lambda b: (not b.no_lower, b.age_from, b.sequence))
            if not buckets:
                raise ValidationError(_("Aging scheme %(scheme)s: add at least one bucket.", scheme=scheme.name))
            first, last = buckets[0], buckets[-1]
            if not first.no_lower:
                raise ValidationError(_(
                    "Aging scheme %(scheme)s leaves a gap below %(from)s: tick 'No lower bound' on the "
                    "first bucket (%(bucket)s).", scheme=scheme.name, bucket=first.name, **{"from": first.age_from}))
            if not last.no_upper:
                raise ValidationError(_(
                    "Aging scheme %(scheme)s leaves a gap above %(to)s: tick 'No upper bound' on the "
                    "last bucket (%(bucket)s).", scheme=scheme.name, bucket=last.name, to=last.age_to))
            for prev, nxt in zip(buckets, buckets[1:]):
                if prev.no_upper or nxt.no_lower:
                    raise ValidationError(_(
                        "Aging scheme %(scheme)s: buckets %(a)s and %(b)s overlap; only the first bucket may "
                        "have no lower bound and only the last no upper bound.",
                        scheme=scheme.name, a=prev.name, b=nxt.name))
                if nxt.age_from <= prev.age_to:
                    raise ValidationError(_(
                        "Aging scheme %(scheme)s: buckets %(a)s (to %(to)s) and %(b)s (from %(from)s) overlap. "
                        "Set 'From' of %(b)s to %(next)s.", scheme=scheme.name, a=prev.name, b=nxt.name,
                        to=prev.age_to, next=prev.age_to + 1, **{"from": nxt.age_from}))
                if nxt.age_from > prev.age_to + 1:
                    raise ValidationError(_(
                        "Aging scheme %(scheme)s leaves a gap between %(a)s (to %(to)s) and %(b)s "
                        "(from %(from)s). Set 'From' of %(b)s to %(next)s.", scheme=scheme.name, a=prev.name,
                        b=nxt.name, to=prev.age_to, next=prev.age_to + 1, **{"from": nxt.age_from}))

    def _ordered_buckets(self):
        self.ensure_one()
        return self.bucket_ids.sorted(lambda b: (not b.no_lower, b.age_from, b.sequence))

    def _unit_delta(self, count):
        self.ensure_one()
        return relativedelta(**{f"{self.unit}s": count})

    def _bucket_cutoffs(self, date):
        """[(bucket, cutoff)] in order: an item belongs to the first bucket whose
        cutoff is before its basis date (its age is at most the bucket's 'To').
        The last bucket has no cutoff."""
        self.ensure_one()
        buckets = self._ordered_buckets()
        date = fields.Date.to_date(date)
        return [(b, None if b.no_upper else date - self._unit_delta(b.age_to + 1)) for b in buckets]

    @api.model
    def _default_vals(self, company, purpose):
        """The values of ``company``'s default scheme for ``purpose``, in English:
        create it in English (``lang`` en_US), then ``_translate_defaults``."""
        rows = COLLECTION_BUCKETS if purpose == "collection" else PROVISION_BUCKETS
        return {
            "name": SCHEME_NAMES[purpose]._translate("en_US"),
            "company_id": company.id,
            "purpose": purpose,
            "basis": "due" if purpose == "collection" else "invoice",
            "unit": "day" if purpose == "collection" else "year",
            "bucket_ids": [
                fields.Command.create({
                    "sequence": index, "name": label._translate("en_US"), "no_lower": low is None,
                    "age_from": low or 0, "no_upper": high is None, "age_to": high or 0, "rate": rate,
                })
                for index, (label, low, high, rate) in enumerate(rows)
            ],
        }

    @api.model
    def _translate_defaults(self, langs=None, overwrite=False):
        """The default schemes' and buckets' names in each language of ``langs``
        (all installed ones by default), wherever they still have their English name."""
        translate_code_terms(self.env, "ctrl.aging.scheme", "name", SCHEME_NAMES.values(), langs, overwrite)
        translate_code_terms(self.env, "ctrl.aging.bucket", "name",
                             [row[0] for row in COLLECTION_BUCKETS + PROVISION_BUCKETS], langs, overwrite)
