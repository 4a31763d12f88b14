# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlSixsAction(models.Model):
    """A corrective action (整改通知单): the owner records what was done by the
    deadline, the inspector verifies it. A failed verification reopens it."""

    _name = "ctrl.sixs.action"
    _description = "6S Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin", "ctrl.lifecycle.mixin"]
    _order = "deadline, id"

    _ctrl_sequence_code = "ctrl.sixs.action"
    # Open: the owner works on it. Marked done it waits for the inspector; only a failed
    # verification opens it again.
    _ctrl_draft_states = ("open",)
    _ctrl_protected_fields = ("name", "date_done", "verified_by_id", "date_verified", "fail_count", "is_late")
    _ctrl_content_fields = ("line_id", "area_id", "description", "owner_id", "inspector_user_id", "deadline",
                            "done_note", "before_image", "after_image", "company_id")

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    line_id = fields.Many2one("ctrl.sixs.audit.line", "Finding", ondelete="cascade", index=True)
    audit_id = fields.Many2one(related="line_id.audit_id", store=True, index=True)
    area_id = fields.Many2one("ctrl.sixs.area", compute="_compute_area_id", store=True, readonly=False,
                              index=True, required=True)
    item_id = fields.Many2one(related="line_id.item_id")
    serious = fields.Boolean(related="line_id.serious", store=True)
    description = fields.Text(required=True, tracking=True)
    owner_id = fields.Many2one("hr.employee", "Owner", required=True, tracking=True)
    owner_user_id = fields.Many2one(related="owner_id.user_id", store=True, string="Owner user")
    inspector_user_id = fields.Many2one("res.users", "Verifying inspector", tracking=True)
    deadline = fields.Date(required=True, tracking=True, index=True,
                           help="Agreed between inspector and owner.")
    state = fields.Selection(
        [("open", "Open"), ("done", "Done, to verify"), ("verified", "Verified")],
        default="open", required=True, tracking=True, index=True)
    done_note = fields.Text("What was done", tracking=True)
    date_done = fields.Date(readonly=True)
    before_image = fields.Image("Before", max_width=1024, max_height=1024)
    after_image = fields.Image("After", max_width=1024, max_height=1024)
    verification_note = fields.Text(tracking=True)
    verified_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    date_verified = fields.Date(readonly=True)
    fail_count = fields.Integer("Failed verifications", readonly=True, tracking=True)
    is_late = fields.Boolean("Late", readonly=True, tracking=True)
    department_area_id = fields.Many2one(related="area_id.department_area_id", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    @api.depends("line_id.area_id")
    def _compute_area_id(self):
        for action in self.filtered("line_id"):
            action.area_id = action.line_id.area_id

    def write(self, vals):
        inspector_fields = {"deadline", "owner_id", "line_id", "verification_note"}
        if not self.env.su and inspector_fields & set(vals) and not self.env.user.has_group(
                "ctrl_sixs.group_sixs_inspector"):
            raise AccessError(self.env._(
                "The deadline, owner, finding and verification note of a corrective action are the 6S "
                "inspector's: ask an inspector to change them."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_finding(self):
        if not self.env.su and self.filtered("line_id"):
            raise UserError(self.env._(
                "A corrective action raised by an audit finding cannot be deleted: mark it done and have it "
                "verified, or appeal the finding."))

    def action_mark_done(self, note=None):
        """The owner records what was done."""
        self.check_access("write")
        for action in self:
            if action.state != "open":
                raise UserError(self.env._("Corrective action %(action)s is not open.", action=action.name))
            note = note or action.done_note
            if not note:
                raise UserError(self.env._(
                    "Corrective action %(action)s: fill in 'What was done' before marking it done.",
                    action=action.name))
            today = fields.Date.context_today(self)
            action._ctrl_set_state("done", done_note=note, date_done=today)
            if today > action.deadline:
                action._ctrl_sixs_mark_late()
        return True

    def action_verify(self, passed, note=None):
        """The inspector's verification. The action's owner may not verify it."""
        if not self.env.user.has_group("ctrl_sixs.group_sixs_inspector"):
            raise AccessError(self.env._("Only a 6S inspector verifies corrective actions."))
        for action in self:
            if action.owner_user_id and action.owner_user_id == self.env.user:
                raise UserError(self.env._(
                    "Corrective action %(action)s: you are its owner and cannot verify it. Ask the inspector "
                    "(%(inspector)s) or another 6S inspector.",
                    action=action.name, inspector=action.inspector_user_id.name or "-"))
            if action.state != "done":
                raise UserError(self.env._(
                    "Corrective action %(action)s: only a done action is verified; the owner marks it done first.",
                    action=action.name))
            vals = {"verification_note": note or action.verification_note, "verified_by_id": self.env.uid,
                    "date_verified": fields.Date.context_today(self)}
            if passed:
                action._ctrl_set_state("verified", **vals)
                action.activity_ids.action_done()
            else:
                days = action.company_id.ctrl_sixs_action_days
                action._ctrl_set_state("open", fail_count=action.fail_count + 1,
                                       deadline=fields.Date.context_today(self) + timedelta(days=days), **vals)
                action._ctrl_sixs_department_points("failed_verification")
                action._ctrl_escalation_reset("sixs_action_deadline")
        return True

    def action_verify_pass(self):
        return self.action_verify(True)

    def action_verify_fail(self):
        return self.action_verify(False)

    def _ctrl_sixs_mark_late(self):
        """Late once per action: −3 at department level (V14 5.5)."""
        late = self.filtered(lambda a: not a.is_late)
        late._ctrl_write_protected({"is_late": True})
        late._ctrl_sixs_department_points("late_action")

    def _ctrl_sixs_department_points(self, reason):
        Point = self.env["ctrl.sixs.point"].sudo()
        for action in self.sudo():
            department = action.area_id.department_area_id or action.area_id
            Point.create({
                "date": fields.Date.context_today(self), "area_id": department.id,
                "employee_id": department.responsible_id.id, "reason_code": reason,
                "name": action.name, "res_model": self._name, "res_id": action.id,
                "company_id": action.company_id.id,
            })

    def _ctrl_escalation_late(self, level):
        """Ladder callback: the deadline passed with the action still open."""
        self._ctrl_sixs_mark_late()
