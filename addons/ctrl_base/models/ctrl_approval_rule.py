# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import float_compare
from odoo.tools.safe_eval import safe_eval


class CtrlApprovalRule(models.Model):
    """Which records need approval, and by whom, step by step.

    A rule applies to one model and one approval kind, optionally narrowed
    by a domain and by amount bounds ``[amount_min, amount_max)`` in company
    currency (``amount_max`` 0 means no upper bound).  Its steps are approved
    in sequence; the last one is final.
    """

    _name = "ctrl.approval.rule"
    _description = "Approval Rule"
    _inherit = ["mail.thread"]
    _order = "model_name, kind, sequence, amount_min, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    model_id = fields.Many2one(
        "ir.model", string="Model", required=True, ondelete="cascade", index=True
    )
    model_name = fields.Char("Model name", related="model_id.model", store=True, index=True)
    kind = fields.Char(
        default="default",
        required=True,
        tracking=True,
        help="What is approved, when one model needs several approvals "
        "(e.g. 'order_value' and 'hold_release' on a sale order).",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Amount bounds are in this company currency.",
    )
    domain = fields.Char(
        default="[]", help="Only records matching this domain need this rule."
    )
    # Thresholds: a sum of them means nothing (no total in grouped lists).
    amount_min = fields.Monetary(
        "Amount from", currency_field="currency_id", tracking=True, aggregator=False
    )
    amount_max = fields.Monetary(
        "Amount below",
        currency_field="currency_id",
        tracking=True,
        aggregator=False,
        help="The rule applies to amounts strictly below this bound; 0 means no bound.",
    )
    step_ids = fields.One2many(
        "ctrl.approval.rule.step", "rule_id", string="Steps", copy=True
    )
    note = fields.Html(translate=True)
    allow_same_approver = fields.Boolean(
        "One person may decide several steps", tracking=True,
        help="Off by default: each step of a request is decided by a different person, as segregation of "
             "duties asks. Turn it on only where the company has too few approvers.")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for rule in self:
            rule.currency_id = (rule.company_id or self.env.company).currency_id

    @api.constrains("amount_min", "amount_max")
    def _check_amount_sign(self):
        for rule in self:
            if rule.amount_min < 0 or rule.amount_max < 0:
                raise ValidationError(
                    _("Approval rule %(rule)s: 'Amount from' and 'Amount below' "
                      "cannot be negative.", rule=rule.name)
                )
            if rule.amount_max and float_compare(
                rule.amount_max, rule.amount_min, precision_rounding=rule.currency_id.rounding
            ) <= 0:
                raise ValidationError(
                    _("Approval rule %(rule)s: 'Amount below' must be greater than "
                      "'Amount from', or 0 for no upper bound.", rule=rule.name)
                )

    @api.constrains("model_id", "kind", "company_id", "domain", "amount_min", "amount_max", "active")
    def _check_amount_bands(self):
        """Rules of one model, kind, company and domain must tile the amounts:
        no overlap and no gap between consecutive bands."""
        for rule in self.filtered("active"):
            siblings = self.sudo().search([
                ("model_id", "=", rule.model_id.id),
                ("kind", "=", rule.kind),
                ("company_id", "=", rule.company_id.id),
                ("domain", "=", rule.domain),
            ]).sorted(lambda r: (r.amount_min, r.id))
            rounding = rule.currency_id.rounding
            for prev, nxt in zip(siblings, siblings[1:]):
                if not prev.amount_max or float_compare(
                    prev.amount_max, nxt.amount_min, precision_rounding=rounding
                ) > 0:
                    raise ValidationError(
                        _("Approval rules %(a)s and %(b)s overlap: the amount bounds "
                          "(Amount from / Amount below) of one band must end where "
                          "the next begins.", a=prev.name, b=nxt.name)
                    )
                if float_compare(prev.amount_max, nxt.amount_min, precision_rounding=rounding) < 0:
                    raise ValidationError(
                        _("Approval rules %(a)s and %(b)s leave a gap between "
                          "%(gap_from)s and %(gap_to)s: set 'Amount from' of the "
                          "second to the 'Amount below' of the first.",
                          a=prev.name, b=nxt.name,
                          gap_from=prev.amount_max, gap_to=nxt.amount_min)
                    )

    @api.constrains("domain", "model_id")
    def _check_domain(self):
        for rule in self:
            try:
                self.env[rule.model_name].search_count(rule._get_domain(), limit=1)
            except Exception as error:
                raise ValidationError(
                    _("Approval rule %(rule)s: the domain is not valid for %(model)s "
                      "(%(error)s).", rule=rule.name, model=rule.model_name, error=error)
                ) from error

    def _get_domain(self):
        self.ensure_one()
        return safe_eval(self.domain or "[]")

    def _matches(self, record, amount):
        """True when this rule covers ``record`` at ``amount`` (company currency)."""
        self.ensure_one()
        rounding = self.currency_id.rounding
        if float_compare(amount, self.amount_min, precision_rounding=rounding) < 0:
            return False
        if self.amount_max and float_compare(
            amount, self.amount_max, precision_rounding=rounding
        ) >= 0:
            return False
        domain = self._get_domain()
        return not domain or bool(record.filtered_domain(domain))

    @api.model
    @tools.ormcache("model_name", "kind", "company_id")
    def _candidate_ids(self, model_name, kind, company_id):
        """Ids of the active rules for a model, kind and company, in order of
        precedence (a company's own rules first). Cached: this runs on hot
        paths such as order confirmation."""
        rules = self.sudo().search([
            ("model_name", "=", model_name), ("kind", "=", kind), ("company_id", "in", [company_id, False]),
        ])
        return tuple(rules.sorted(lambda r: (not r.company_id, r.sequence, r.amount_min)).ids)

    @api.model
    def _find_for(self, record, kind, amount):
        """The active rule for ``record`` and ``kind``, or an empty recordset."""
        company = record.company_id if "company_id" in record and record.company_id else self.env.company
        rules = self.sudo().browse(self._candidate_ids(record._name, kind, company.id))
        return next((rule for rule in rules if rule._matches(record, amount)), self.browse())

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
