# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CHECK_PREFIX = "_ctrl_checklist_check_"


class CtrlChecklistTemplateItem(models.Model):
    """An item an addon contributes to a template. ``check_method``, when set,
    names a method of the checklist's subject that says whether the item is
    really done (e.g. no media still on loan) before it can be signed."""

    _name = "ctrl.checklist.template.item"
    _description = "Checklist Template Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one("ctrl.checklist.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    mandatory = fields.Boolean(default=True)
    model_id = fields.Many2one(
        "ir.model", ondelete="cascade",
        help="Model the item is about (e.g. the media register), for information and filtering.",
    )
    responsible_group_id = fields.Many2one("res.groups", help="Only its members may sign the item.")
    check_method = fields.Char(help=f"Method of the subject, named {CHECK_PREFIX}*, returning "
                                    "an error message or ''.")

    _sql_constraints = [
        ("code_template_uniq", "unique(template_id, code)", "An item code is unique in its template."),
    ]

    @api.constrains("check_method")
    def _check_check_method(self):
        for item in self.filtered("check_method"):
            if not item.check_method.startswith(CHECK_PREFIX):
                raise ValidationError(
                    _("Checklist item %(item)s: the check method must start with %(prefix)s.",
                      item=item.name, prefix=CHECK_PREFIX)
                )
