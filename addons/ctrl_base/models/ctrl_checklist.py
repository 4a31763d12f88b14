# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlChecklist(models.Model):
    """A checklist instance for one subject (an employee, a user, a record)."""

    _name = "ctrl.checklist"
    _description = "Checklist"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.document.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    template_id = fields.Many2one("ctrl.checklist.template", required=True, readonly=True, ondelete="restrict")
    code = fields.Char(related="template_id.code", store=True)
    res_model = fields.Char(required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(required=True, readonly=True, model_field="res_model", index=True)
    res_ref = fields.Reference(string="Subject")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", "Responsible", default=lambda self: self.env.user, tracking=True)
    date_start = fields.Date(default=fields.Date.context_today, required=True)
    date_deadline = fields.Date(tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("override", "Closed by override")],
        default="open", required=True, tracking=True, index=True,
    )
    line_ids = fields.One2many("ctrl.checklist.line", "checklist_id")
    open_mandatory_count = fields.Integer(compute="_compute_progress", store=True)
    progress = fields.Float(compute="_compute_progress", store=True, aggregator="avg")
    override_reason = fields.Text(readonly=True, tracking=True)
    override_user_id = fields.Many2one("res.users", readonly=True)

    @api.depends("line_ids.state", "line_ids.mandatory")
    def _compute_progress(self):
        for checklist in self:
            lines = checklist.line_ids
            closed = lines.filtered(lambda line: line.state != "todo")
            checklist.open_mandatory_count = len(lines.filtered(lambda line: line.mandatory and line.state == "todo"))
            checklist.progress = 100.0 * len(closed) / len(lines) if lines else 100.0

    # Closing changes only through action_complete / _override, which check
    # the items and the caller, then write as superuser.
    CLOSING_FIELDS = frozenset({"state", "override_reason", "override_user_id"})

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("state", "open") != "open" or vals.get("override_reason")
                                   or vals.get("override_user_id") for vals in vals_list):
            raise AccessError(_("A checklist starts open: it is closed with Complete, or by an override."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and self.CLOSING_FIELDS & set(vals):
            raise AccessError(_("A checklist is closed with Complete (every mandatory item signed), or by an "
                                "Internal Control administrator's override with a reason."))
        return super().write(vals)

    def _subject(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    @api.model
    def _start(self, template, subject, **vals):
        """Create the checklist of ``template`` for ``subject`` (one open per pair)."""
        existing = self.search([
            ("template_id", "=", template.id), ("res_model", "=", subject._name),
            ("res_id", "=", subject.id), ("state", "=", "open"),
        ], limit=1)
        if existing:
            return existing
        start = vals.pop("date_start", fields.Date.context_today(self))
        checklist = self.create({
            "name": _("%(template)s: %(subject)s", template=template.name, subject=subject.display_name),
            "template_id": template.id,
            "res_model": subject._name,
            "res_id": subject.id,
            "company_id": (subject.company_id.id if "company_id" in subject and subject.company_id
                           else self.env.company.id),
            "date_start": start,
            "date_deadline": start + timedelta(days=template.deadline_days),
            "line_ids": [
                fields.Command.create({"template_item_id": item.id}) for item in template.item_ids
            ],
            **vals,
        })
        if hasattr(subject, "_message_log"):
            subject._message_log(body=_("Checklist %(name)s started.", name=checklist.name))
        return checklist

    def action_complete(self):
        for checklist in self:
            if checklist.state != "open":
                raise UserError(_("Checklist %(name)s is already closed.", name=checklist.name))
            missing = checklist.line_ids.filtered(lambda line: line.mandatory and line.state == "todo")
            if missing:
                raise UserError(_(
                    "Checklist %(name)s cannot be completed: mandatory items are still open: "
                    "%(items)s. Sign them off, or ask an Internal Control administrator to "
                    "override with a reason.",
                    name=checklist.name, items=", ".join(missing.mapped("name")),
                ))
            checklist.sudo().state = "done"
        return True

    def _override(self, reason):
        if not self.env.user.has_group("ctrl_base.group_ctrl_manager"):
            raise AccessError(_("Only an Internal Control administrator can override a checklist."))
        if not (reason or "").strip():
            raise UserError(_("Give the reason for the override."))
        for checklist in self:
            if checklist.state != "open":
                raise UserError(_("Checklist %(name)s is already closed.", name=checklist.name))
            open_items = checklist.line_ids.filtered(lambda line: line.state == "todo")
            checklist.sudo().write({"state": "override", "override_reason": reason,
                                    "override_user_id": self.env.uid})
            checklist.message_post(body=_(
                "Closed by override with %(count)s open items (%(items)s). Reason: %(reason)s",
                count=len(open_items), items=", ".join(open_items.mapped("name")), reason=reason,
            ))
        return True

    def action_open_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Override %(checklist)s", checklist=self.display_name),
            "res_model": "ctrl.checklist.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_checklist_id": self.id},
        }

    def action_open_subject(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "view_mode": "form"}
