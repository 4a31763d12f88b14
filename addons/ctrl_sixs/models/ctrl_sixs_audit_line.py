# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class CtrlSixsAuditLine(models.Model):
    """The answer to one check item: OK / not OK / N/A, count, deduction, employee."""

    _name = "ctrl.sixs.audit.line"
    _description = "6S Audit Answer"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "audit_id, sequence, id"

    # Answered while the audit is a draft; priced only by the publication.
    _ctrl_parent_field = "audit_id"
    _ctrl_content_fields = ("audit_id", "item_id", "result", "na_reason", "count", "deduction", "employee_id",
                            "note", "photo")
    _ctrl_protected_fields = ("points", "repeat_number", "duty_officer")

    audit_id = fields.Many2one("ctrl.sixs.audit", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(related="item_id.sequence", store=True)
    item_id = fields.Many2one("ctrl.sixs.item", "Check item", required=True, ondelete="restrict", index=True)
    category_id = fields.Many2one(related="item_id.category_id", store=True)
    serious = fields.Boolean(related="item_id.serious")
    result = fields.Selection([("ok", "OK"), ("nok", "Not OK"), ("na", "N/A")])
    count = fields.Integer(default=1)
    deduction = fields.Integer(default=2)
    employee_id = fields.Many2one("hr.employee", "Responsible employee", index="btree_not_null")
    na_reason = fields.Char("Why not applicable",
                            help="Required when the item is answered N/A: why it does not apply to this area today.")
    note = fields.Char(help="What was found. Required when the item is answered Not OK.")
    photo = fields.Image(max_width=1024, max_height=1024,
                         help="What was found, taken with the phone's camera. Required when the item is answered "
                         "Not OK, unless the 6S settings say otherwise.")
    photo_required = fields.Boolean(related="company_id.ctrl_sixs_finding_photo")
    points = fields.Float("Points lost", readonly=True, copy=False,
                          help="Set at publication: the repeat ladder's points for an employee's finding (the check "
                          "sheet's deduction without an employee), × count, doubled for the duty officer's own "
                          "finding.")
    repeat_number = fields.Integer(readonly=True, copy=False,
                                   help="Earlier findings of this employee on this item within the repeat window.")
    duty_officer = fields.Boolean("Duty officer's own finding", readonly=True, copy=False)
    date = fields.Date(related="audit_id.scheduled_date", store=True)
    area_id = fields.Many2one(related="audit_id.area_id", store=True, index=True)
    company_id = fields.Many2one(related="audit_id.company_id", store=True, index=True)
    audit_state = fields.Selection(related="audit_id.state")
    appeal_ids = fields.One2many("ctrl.sixs.appeal", "line_id")

    def init(self):
        # Rankings sum the priced findings of a period.
        self.env.cr.execute("""CREATE INDEX IF NOT EXISTS ctrl_sixs_audit_line_scored_idx
                               ON ctrl_sixs_audit_line (company_id, date, area_id) INCLUDE (points)
                               WHERE points <> 0""")
        self.env.cr.execute("""CREATE INDEX IF NOT EXISTS ctrl_sixs_audit_line_repeat_idx
                               ON ctrl_sixs_audit_line (employee_id, item_id, date)
                               WHERE result = 'nok' AND employee_id IS NOT NULL""")

    @api.depends("audit_id.name", "item_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.audit_id.name, line.item_id.display_name]))

    @api.constrains("result", "na_reason")
    def _check_na_reason(self):
        for line in self.filtered(lambda li: li.result == "na" and not (li.na_reason or "").strip()):
            raise ValidationError(self.env._(
                "Audit %(audit)s, item %(item)s is answered N/A: enter why it does not apply in "
                "'Why not applicable'.", audit=line.audit_id.name, item=line.item_id.display_name))

    @api.constrains("result", "note", "photo")
    def _check_finding_evidence(self):
        # A finding is evidence for points and a corrective action: what was found, and a photo of it
        # (issue #21; anchors: required media on failure, configurable per company).
        for line in self.filtered(lambda li: li.result == "nok"):
            if not (line.note or "").strip():
                raise ValidationError(self.env._(
                    "Audit %(audit)s, item %(item)s is answered Not OK: describe what was found in 'Note'.",
                    audit=line.audit_id.name, item=line.item_id.display_name))
            if not line.photo and (line.company_id or self.env.company).ctrl_sixs_finding_photo:
                raise ValidationError(self.env._(
                    "Audit %(audit)s, item %(item)s is answered Not OK: take a photo of what was found in 'Photo'.",
                    audit=line.audit_id.name, item=line.item_id.display_name))

    @api.onchange("item_id")
    def _onchange_item_id(self):
        if self.item_id:
            self.deduction = self.item_id.deduction

    @api.constrains("deduction", "count", "result")
    def _check_deduction(self):
        for line in self.filtered(lambda li: li.result == "nok"):
            company = line.company_id or self.env.company
            low, high = company.ctrl_sixs_deduction_min, company.ctrl_sixs_deduction_max
            if not low <= line.deduction <= high:
                raise ValidationError(self.env._(
                    "Audit %(audit)s, item %(item)s: the deduction %(value)s is outside the item's range "
                    "%(low)s-%(high)s. Enter between %(low)s and %(high)s points.",
                    audit=line.audit_id.name, item=line.item_id.display_name, value=line.deduction,
                    low=low, high=high))
            if line.count < 1:
                raise ValidationError(self.env._(
                    "Audit %(audit)s, item %(item)s: the count of a finding must be at least 1.",
                    audit=line.audit_id.name, item=line.item_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.env["ctrl.sixs.audit"].browse(
                {vals["audit_id"] for vals in vals_list if vals.get("audit_id")})._ctrl_sixs_check_answerer()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) & set(self._ctrl_content_fields):
            if self.filtered(lambda line: line.audit_id.state == "published"):
                raise UserError(self.env._("A published audit's answers are final; appeal a finding instead."))
            (self.audit_id | self.audit_id.browse(vals.get("audit_id") or []))._ctrl_sixs_check_answerer()
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self.audit_id.exists()._ctrl_sixs_check_answerer()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_generated(self):
        # An audit covers its area's whole checklist (the plan's check items): answering N/A with a
        # reason replaces removing an item. Deleting the audit removes its lines (database cascade).
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        if self.audit_id:
            raise UserError(self.env._(
                "The check items of audit %(audit)s come from its checklist and cannot be removed: answer an "
                "item that does not apply N/A and say why.", audit=self.audit_id[:1].name))

    # ------------------------------------------------------------------
    # Answering, one card per item (the audit on a phone)
    # ------------------------------------------------------------------
    def _ctrl_sixs_check_answerable(self):
        """Fail early, before a dialog opens, when the audit no longer takes answers."""
        for line in self:
            if line.audit_id.state != "draft":
                raise UserError(self.env._(
                    "Audit %(audit)s is signed off: its answers no longer change.", audit=line.audit_id.name))
        self.audit_id._ctrl_sixs_check_answerer()

    def action_answer_ok(self):
        self._ctrl_sixs_check_answerable()
        self.write({"result": "ok"})
        return True

    def _ctrl_sixs_answer_dialog(self, view, title):
        self.ensure_one()
        self._ctrl_sixs_check_answerable()
        return {
            "type": "ir.actions.act_window", "name": title, "res_model": self._name, "res_id": self.id,
            "views": [(self.env.ref(view).id, "form")], "target": "new",
        }

    def action_answer_nok(self):
        """Not OK: a dialog asks for the photo and what was found, then saves the answer."""
        return self._ctrl_sixs_answer_dialog("ctrl_sixs.ctrl_sixs_audit_line_view_form_finding",
                                             self.item_id.display_name)

    def action_answer_na(self):
        """N/A: a dialog asks why the item does not apply, then saves the answer."""
        return self._ctrl_sixs_answer_dialog("ctrl_sixs.ctrl_sixs_audit_line_view_form_na",
                                             self.item_id.display_name)

    def action_save_nok(self):
        # The dialog saved the photo and the note; the constraint checks them with the answer.
        self.write({"result": "nok"})
        return {"type": "ir.actions.act_window_close"}

    def action_save_na(self):
        self.write({"result": "na"})
        return {"type": "ir.actions.act_window_close"}

    def action_open_corrective_action(self):
        """From a finding to the corrective action its sign-off raised."""
        self.ensure_one()
        action = self.env["ctrl.sixs.action"].search([("line_id", "=", self.id)], limit=1)
        if not action:
            raise UserError(self.env._(
                "Item %(item)s has no corrective action yet: it is raised when the audit is signed off with "
                "this item Not OK.", item=self.item_id.display_name))
        return {
            "type": "ir.actions.act_window", "name": action.name, "res_model": action._name, "res_id": action.id,
            "views": [(False, "form")], "target": "current",
        }

    def _point_vals(self, points):
        self.ensure_one()
        return {
            "date": self.date, "employee_id": self.employee_id.id, "area_id": self.area_id.id,
            "points": points, "reason_code": "finding", "name": self.item_id.display_name,
            "res_model": self._name, "res_id": self.id, "company_id": self.company_id.id,
        }

    def _ctrl_sixs_finding_points(self, ladder):
        """Points of this finding before the duty officer's factor. A finding charged to an employee
        costs the repeat ladder's rung for its rank among the employee's findings on the same item
        within the repeat window (V14 2.2: 1st 1, 2nd 2, 3rd 5 points; beyond, the last rung and the
        workshop head); one without a responsible employee, the check sheet's deduction (V05)."""
        self.ensure_one()
        if not self.employee_id:
            return self.deduction * self.count
        return ladder[min(self.repeat_number, len(ladder) - 1)] * self.count

    def _escalate_repeat(self):
        """Beyond the repeat ladder the workshop head handles it (V14: 超过3次由车间主任从严处理)."""
        self.ensure_one()
        head = self.area_id.head_user_id or self.env.ref("base.user_admin")
        self.audit_id.activity_schedule(
            "ctrl_base.mail_activity_type_escalation", user_id=head.id, date_deadline=self.date,
            summary=self.env._("Repeat offence: %(employee)s, %(item)s (%(n)s earlier findings this week)",
                               employee=self.employee_id.name, item=self.item_id.display_name,
                               n=self.repeat_number))

    def _create_actions(self):
        """One corrective action (整改通知单) per finding; a serious one notifies the area
        head the same day (V14 7.2)."""
        Action = self.env["ctrl.sixs.action"].sudo()
        today = fields.Date.context_today(self)
        for line in self:
            company = line.company_id
            area = line.area_id
            owner = line.employee_id or area.responsible_id
            action = Action.create({
                "line_id": line.id, "area_id": area.id, "owner_id": owner.id, "company_id": company.id,
                "inspector_user_id": line.audit_id.inspector_id.id,
                "deadline": today + timedelta(days=company.ctrl_sixs_action_days if not line.serious else 1),
                "description": line.note or line.item_id.name,
                "before_image": line.photo,
            })
            if line.serious:
                head = area.head_user_id or area.responsible_user_id or self.env.ref("base.user_admin")
                action.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=head.id, date_deadline=today,
                    summary=self.env._("Serious 6S finding in %(area)s: %(item)s",
                                       area=area.display_name, item=line.item_id.display_name))
                line.audit_id.message_post(body=Markup("%s") % self.env._(
                    "Serious finding: %(item)s. Rectification notice %(action)s sent to %(head)s.",
                    item=line.item_id.display_name, action=action.name, head=head.name))
