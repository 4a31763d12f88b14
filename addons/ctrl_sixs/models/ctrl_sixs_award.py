# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

AWARD_TYPES = [
    ("model_employee", "Monthly 6S model employee"),
    ("advanced_individual", "Quarterly 6S advanced individual"),
    ("model_area", "Quarterly 6S model area"),
]


class CtrlSixsAward(models.Model):
    """An award, approved by the general manager (approval kind ``sixs_award``)."""

    _name = "ctrl.sixs.award"
    _description = "6S Award"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "period_start desc, id desc"

    _ctrl_approval_kind = "sixs_award"
    _ctrl_submitted_state = "pending"
    _ctrl_approved_state = "approved"
    _ctrl_content_fields = ("award_type", "period_start", "period_end", "employee_id", "area_id", "amount",
                            "leader_amount", "company_id")

    _rec_names_search = ["employee_id", "area_id", "period_start"]

    # Generated, so rendered in the reader's language (not stored in the language it was computed in).
    name = fields.Char(compute="_compute_name", search="_search_name")
    award_type = fields.Selection(AWARD_TYPES, required=True, tracking=True)
    period_start = fields.Date(required=True, tracking=True)
    period_end = fields.Date(required=True, tracking=True)
    employee_id = fields.Many2one("hr.employee", tracking=True)
    area_id = fields.Many2one("ctrl.sixs.area", "Process", tracking=True,
                              help="The winner's process (model employee) or the model area.")
    amount = fields.Monetary(currency_field="currency_id", tracking=True,
                             help="Individual award, or the process's award for a model area.")
    leader_amount = fields.Monetary("6S star (area leader)", currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("pending", "Waiting for GM"), ("approved", "Approved")],
        default="draft", required=True, tracking=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.depends("award_type", "employee_id", "area_id", "period_start")
    @api.depends_context("lang")
    def _compute_name(self):
        labels = dict(self._fields["award_type"]._description_selection(self.env))
        for award in self:
            winner = award.employee_id.name or award.area_id.display_name or ""
            award.name = f"{labels.get(award.award_type, '')} {award.period_start or ''}: {winner}"

    def _search_name(self, operator, value):
        return self._search_display_name(operator, value)

    @api.onchange("award_type")
    def _onchange_award_type(self):
        company = self.company_id or self.env.company
        if self.award_type == "advanced_individual":
            self.amount, self.leader_amount = company.ctrl_sixs_award_individual, 0.0
        elif self.award_type == "model_area":
            self.amount = company.ctrl_sixs_award_area_process
            self.leader_amount = company.ctrl_sixs_award_area_leader

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("award_type") == "advanced_individual" and "amount" not in vals:
                vals["amount"] = company.ctrl_sixs_award_individual
            if vals.get("award_type") == "model_area":
                vals.setdefault("amount", company.ctrl_sixs_award_area_process)
                vals.setdefault("leader_amount", company.ctrl_sixs_award_area_leader)
        return super().create(vals_list)

    @api.constrains("award_type", "period_start", "period_end", "employee_id", "area_id", "state")
    def _check_periods(self):
        for award in self:
            if award.period_end < award.period_start:
                raise ValidationError(self.env._("Award %(award)s: the period ends before it starts.",
                                                 award=award.name))
            if award.award_type == "model_area" and not award.area_id:
                raise ValidationError(self.env._("A model area award needs the process (area)."))
            if award.award_type != "model_area" and not award.employee_id:
                raise ValidationError(self.env._("An individual award needs the employee."))
            winner = ("employee_id", "=", award.employee_id.id) if award.award_type != "model_area" \
                else ("area_id", "=", award.area_id.id)
            overlap = self.search([
                ("id", "!=", award.id), ("award_type", "=", award.award_type), winner,
                ("company_id", "=", award.company_id.id),
                ("period_start", "<=", award.period_end), ("period_end", ">=", award.period_start)], limit=1)
            if overlap:
                raise ValidationError(self.env._(
                    "Award %(award)s overlaps %(other)s (%(start)s to %(end)s) for the same winner. Pick a period "
                    "that does not overlap, or delete the other award while it is a draft.",
                    award=award.name, other=overlap.name, start=overlap.period_start, end=overlap.period_end))
            if award.award_type == "model_employee" and award.area_id:
                count = self.search_count([
                    ("award_type", "=", "model_employee"), ("area_id", "=", award.area_id.id),
                    ("period_start", "<=", award.period_end),
                    ("period_end", ">=", award.period_start)])
                high = award.company_id.ctrl_sixs_model_employees_max
                if count > high:
                    raise ValidationError(self.env._(
                        "Process %(area)s already has %(high)s model employees for this month.",
                        area=award.area_id.display_name, high=high))

    def _ctrl_sixs_blocked_area(self):
        """The award's area (or the employee's process) when excluded from awards."""
        self.ensure_one()
        areas = self.area_id or self.env["ctrl.sixs.area"].search([("employee_ids", "in", self.employee_id.ids)])
        areas |= areas.process_area_id
        blocked = areas._ctrl_sixs_award_blocked_ids(self.period_start, self.period_end)
        return self.env["ctrl.sixs.area"].browse(blocked)

    def action_submit(self):
        """The 6S manager reports the award to the general manager."""
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_manager"):
            raise AccessError(self.env._("Only 6S managers submit awards to the general manager."))
        self.check_access("write")
        for award in self:
            if award.state != "draft":
                raise UserError(self.env._("Award %(award)s was already submitted.", award=award.name))
            blocked = award._ctrl_sixs_blocked_area()
            if blocked:
                raise UserError(self.env._(
                    "Award %(award)s: %(areas)s had a corrective action that was overdue or failed verification, "
                    "so it cannot win.", award=award.name, areas=", ".join(blocked.mapped("display_name"))))
            award._ctrl_submit(amount=award.amount + award.leader_amount, reason=award.name)
        return True

    def _ctrl_approval_amount(self, rule_model_kind):
        return self.amount + self.leader_amount
