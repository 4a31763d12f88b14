# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlChecklistLine(models.Model):
    _name = "ctrl.checklist.line"
    _description = "Checklist Item"
    _order = "checklist_id, sequence, id"

    checklist_id = fields.Many2one("ctrl.checklist", required=True, ondelete="cascade", index=True)
    template_item_id = fields.Many2one("ctrl.checklist.template.item", required=True, ondelete="restrict")
    sequence = fields.Integer(related="template_item_id.sequence", store=True)
    code = fields.Char(related="template_item_id.code", store=True)
    name = fields.Char(related="template_item_id.name")
    description = fields.Text(related="template_item_id.description")
    mandatory = fields.Boolean(related="template_item_id.mandatory", store=True)
    company_id = fields.Many2one(related="checklist_id.company_id", store=True)
    state = fields.Selection(
        [("todo", "To do"), ("done", "Done"), ("na", "Not applicable")],
        default="todo", required=True, readonly=True,
    )
    signed_by_id = fields.Many2one("res.users", "Signed by", readonly=True)
    date_signed = fields.Datetime(readonly=True)
    note = fields.Text()

    @api.model
    def _protected_fields(self):
        return {"state", "signed_by_id", "date_signed", "template_item_id", "checklist_id"}

    @api.model_create_multi
    def create(self, vals_list):
        # Items come from the template when a checklist starts; never signed at birth.
        if not self.env.su and {"state", "signed_by_id", "date_signed"} & set().union(*vals_list):
            raise AccessError(_("Checklist items are signed with the Sign button, not edited."))
        return super().create(vals_list)

    def write(self, vals):
        # Sign-off fields change only through action_sign / action_not_applicable,
        # which write as superuser after their own checks.
        if self._protected_fields() & set(vals) and not self.env.su:
            raise AccessError(_("Checklist items are signed with the Sign button, not edited."))
        return super().write(vals)

    def _check_signable(self):
        for line in self:
            if line.checklist_id.state != "open":
                raise UserError(_("Checklist %(name)s is closed.", name=line.checklist_id.name))
            group = line.template_item_id.responsible_group_id
            if group and group not in self.env.user.groups_id:
                raise AccessError(_("Item '%(item)s' must be signed by a member of %(group)s.",
                                    item=line.name, group=group.full_name))

    def action_sign(self):
        self._check_signable()
        for line in self:
            method = line.template_item_id.check_method
            if method:
                error = getattr(line.checklist_id._subject(), method)()
                if error:
                    raise UserError(_("Item '%(item)s' cannot be signed yet: %(error)s", item=line.name, error=error))
        self._sign("done")
        return True

    def action_not_applicable(self):
        self._check_signable()
        if any(self.mapped("mandatory")):
            raise UserError(_("A mandatory item cannot be marked not applicable: sign it, "
                              "or have the checklist overridden with a reason."))
        self._sign("na")
        return True

    def action_reset(self):
        self._check_signable()
        self.sudo().write({"state": "todo", "signed_by_id": False, "date_signed": False})
        return True

    def _sign(self, state):
        self.sudo().write({"state": state, "signed_by_id": self.env.uid, "date_signed": fields.Datetime.now()})
        for line in self:
            line.checklist_id.message_post(body=_("%(item)s: %(state)s, signed by %(user)s.",
                                                  item=line.name, state=state, user=self.env.user.name))
