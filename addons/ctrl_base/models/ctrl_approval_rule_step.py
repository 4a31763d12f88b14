# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlApprovalRuleStep(models.Model):
    """One approver in a rule's chain: a group, or the user a field of the
    record names (e.g. the department head), or both."""

    _name = "ctrl.approval.rule.step"
    _description = "Approval Rule Step"
    _order = "rule_id, sequence, id"

    rule_id = fields.Many2one("ctrl.approval.rule", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    group_id = fields.Many2one(
        "res.groups", string="Approver group", ondelete="restrict",
        help="Only members of this group may approve this step.",
    )
    reviewer_field = fields.Char(
        help="Path to a user on the reviewed record, e.g. "
        "'department_id.manager_id.user_id'. Only that user may approve.",
    )

    @staticmethod
    def _path_comodel(model, path):
        """The model a dotted field path leads to, or None when it is not relational."""
        for name in path.split("."):
            field = model._fields.get(name)
            if not field or not field.relational:
                return None
            model = model.env[field.comodel_name]
        return model._name

    @api.constrains("group_id", "reviewer_field", "rule_id")
    def _check_reviewer(self):
        for step in self:
            if not step.group_id and not step.reviewer_field:
                raise ValidationError(
                    _("Approval step %(step)s needs an approver group or a reviewer field.",
                      step=step.name)
                )
            if step.reviewer_field:
                model = self.env[step.rule_id.model_name]
                if step._path_comodel(model, step.reviewer_field) != "res.users":
                    raise ValidationError(
                        _("Approval step %(step)s: reviewer field %(field)s must lead "
                          "to a user (res.users) on %(model)s.",
                          step=step.name, field=step.reviewer_field, model=model._name)
                    )

    def _allowed_users(self, record):
        """Users who may decide this step for ``record``."""
        self.ensure_one()
        users = self.env["res.users"].sudo()
        if self.reviewer_field:
            users = record.sudo().mapped(self.reviewer_field)
            if self.group_id:
                users = users.filtered(lambda u: self.group_id in u.groups_id)
        elif self.group_id:
            users = self.group_id.sudo().users
        return users.filtered(lambda u: u.active and not u.share)
