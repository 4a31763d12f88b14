# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv.expression import OR as Domain_or

from .ctrl_sixs_item import ZONE_TYPES

LEVELS = [("company", "Company"), ("department", "Department / workshop"), ("process", "Process / team"),
          ("zone", "Zone")]
LEVEL_RANK = {key: rank for rank, (key, _label) in enumerate(LEVELS)}


class CtrlSixsArea(models.Model):
    """A responsibility area: company → department/workshop → process/team → zone.
    The record is also the printable responsibility card (管理职责卡)."""

    _name = "ctrl.sixs.area"
    _description = "6S Area"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _parent_store = True
    _parent_name = "parent_id"
    _order = "complete_name, id"
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name"]

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(index=True)
    # Stored for the order (in English); screens and cards show display_name, in the reader's language.
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one("ctrl.sixs.area", "Parent area", index=True, ondelete="restrict", tracking=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("ctrl.sixs.area", "parent_id", "Sub-areas")
    level = fields.Selection(LEVELS, required=True, default="zone", tracking=True)
    zone_type = fields.Selection(ZONE_TYPES, tracking=True,
                                 help="Picks the audit template. A personal desk zone is the desk and 1 m around.")
    department_id = fields.Many2one("hr.department", tracking=True)
    responsible_id = fields.Many2one("hr.employee", "Responsible", tracking=True)
    responsible_user_id = fields.Many2one("res.users", related="responsible_id.user_id", store=True)
    deputy_id = fields.Many2one("hr.employee", "Deputy", tracking=True)
    employee_ids = fields.Many2many("hr.employee", string="Team")
    local_item_ids = fields.One2many("ctrl.sixs.item", "area_id", "Local check items",
                                     help="Additional requirements: items this area checks on top of its template.")
    duty_text = fields.Html("Duties", translate=True, help="Printed on the responsibility card.")
    process_area_id = fields.Many2one("ctrl.sixs.area", "Process", compute="_compute_rollup_areas",
                                      store=True, recursive=True, index=True)
    department_area_id = fields.Many2one("ctrl.sixs.area", "Department area", compute="_compute_rollup_areas",
                                         store=True, recursive=True, index=True)
    head_user_id = fields.Many2one("res.users", "Workshop head", compute="_compute_head_user_id",
                                   help="The responsible user of the department/workshop area above.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    active = fields.Boolean(default=True)
    # V07, §9 #15: the grade of the latest month ranked (rankings recompute it; it drops when audits slip).
    grade_id = fields.Many2one("ctrl.sixs.grade", "Grade", compute="_compute_grade",
                               help="The grade of the area's latest monthly ranking, from its inspection scores.")
    grade_score = fields.Float("Inspection score", compute="_compute_grade",
                               help="The average inspection score behind the grade.")
    grade_month = fields.Date("Graded for", compute="_compute_grade")
    # V14 §7, §10 #39: a department with no training held this quarter shows up.
    untrained_quarter = fields.Boolean(
        "No 6S training this quarter", compute="_compute_untrained_quarter", search="_search_untrained_quarter",
        help="A department area with no 6S training session held in the current quarter.")
    award_blocked = fields.Boolean(
        compute="_compute_award_blocked",
        help="Excluded from awards while a corrective action is overdue or failed verification.")

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for area in self:
            area.complete_name = (f"{area.parent_id.complete_name} / {area.name}" if area.parent_id
                                  else area.name)

    @api.depends("complete_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for area in self:
            path = self.browse([int(area_id) for area_id in (area.parent_path or "").split("/") if area_id])
            area.display_name = " / ".join(path.mapped("name")) if area.parent_path else area.name

    @api.depends("level", "parent_id.process_area_id", "parent_id.department_area_id")
    def _compute_rollup_areas(self):
        for area in self:
            area.process_area_id = area if area.level == "process" else area.parent_id.process_area_id
            area.department_area_id = area if area.level == "department" else area.parent_id.department_area_id

    def _compute_head_user_id(self):
        for area in self:
            area.head_user_id = area.department_area_id.responsible_user_id or area.responsible_user_id

    def _compute_grade(self):
        """One search: the latest graded month row of each area (a process reads its
        process row, a department its department row, other areas their own)."""
        scope_of = {"process": "process", "department": "department"}
        rows = self.env["ctrl.sixs.ranking"].sudo().search(
            [("area_id", "in", self.ids), ("period_type", "=", "month"), ("grade_id", "!=", False)],
            order="period_start desc, id desc")
        latest = {}
        for row in rows:
            if row.scope == scope_of.get(row.area_id.level, "area"):
                latest.setdefault(row.area_id.id, row)
        for area in self:
            row = latest.get(area.id)
            area.grade_id = row.grade_id if row else False
            area.grade_score = row.audit_score if row else 0.0
            area.grade_month = row.period_start if row else False

    def _ctrl_sixs_untrained_ids(self):
        """Active department areas with no training held in the current quarter."""
        today = fields.Date.context_today(self)
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        trained = self.env["ctrl.sixs.training"]._ctrl_sixs_trained_department_ids(start, today)
        return set(self.sudo().search([("level", "=", "department"), ("id", "not in", list(trained))]).ids)

    def _compute_untrained_quarter(self):
        untrained = self._ctrl_sixs_untrained_ids()
        for area in self:
            area.untrained_quarter = area.id in untrained

    def _search_untrained_quarter(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search 'No 6S training this quarter' as set or not set."))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", list(self._ctrl_sixs_untrained_ids()))]

    def _compute_award_blocked(self):
        blocked = set(self._ctrl_sixs_award_blocked_ids())
        for area in self:
            area.award_blocked = area.id in blocked

    def _ctrl_sixs_award_blocked_ids(self, date_from=None, date_to=None):
        """Ids of these areas with, in their subtree, a corrective action that is overdue or
        failed now, or (between the dates) was late or failed verification (V14 4.6)."""
        today = fields.Date.context_today(self)
        domain = Domain_or([
            [("state", "in", ("open", "done")), ("fail_count", ">", 0)],
            [("state", "in", ("open", "done")), ("deadline", "<", today)],
        ])
        if date_from and date_to:
            domain = Domain_or([domain, [("deadline", ">=", date_from), ("deadline", "<=", date_to), "|",
                                         ("is_late", "=", True), ("fail_count", ">", 0)]])
        actions = self.env["ctrl.sixs.action"].sudo().search([("area_id", "child_of", self.ids)] + domain)
        hit = set()
        for path in actions.area_id.mapped("parent_path"):
            hit.update(int(x) for x in path.strip("/").split("/"))
        return [area_id for area_id in self.ids if area_id in hit]

    @api.constrains("parent_id", "level")
    def _check_level(self):
        if self._has_cycle():
            raise ValidationError(self.env._("6S areas: an area cannot be its own parent."))
        for area in self.filtered("parent_id"):
            if LEVEL_RANK[area.parent_id.level] >= LEVEL_RANK[area.level]:
                raise ValidationError(self.env._(
                    "6S area %(area)s: a %(level)s cannot sit under a %(parent)s. Choose a parent of a higher "
                    "level (company > department > process > zone).",
                    area=area.name, level=area.level, parent=area.parent_id.level))

    def _ctrl_sixs_items(self, template=None):
        """The check items of an audit of this area: the template's (or the zone type's
        templates, or else the library items for the zone type), plus local items of the
        area and its parents."""
        self.ensure_one()
        Item = self.env["ctrl.sixs.item"]
        if template:
            items = template.item_ids
        else:
            templates = self.env["ctrl.sixs.template"].search([
                ("zone_type", "=", self.zone_type), ("company_id", "in", [self.company_id.id, False])])
            # A company's own templates replace the shared ones.
            items = (templates.filtered("company_id") or templates).item_ids
            if not items and self.zone_type:
                items = Item.search([("area_id", "=", False), ("company_id", "in", [self.company_id.id, False])])
                items = items.filtered(lambda i: i._applies_to(self.zone_type))
        local = Item.search([("area_id", "parent_of", self.id)])
        return (items | local).filtered("active")

    def action_print_card(self):
        return self.env.ref("ctrl_sixs.action_report_responsibility_card").report_action(self)
