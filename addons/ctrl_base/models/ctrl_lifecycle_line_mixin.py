# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError


class CtrlLifecycleLineMixin(models.AbstractModel):
    """Lines of a ``ctrl.lifecycle.mixin`` document (``_ctrl_parent_field``):
    added, changed or removed only while the document is a draft. Fields in
    ``_ctrl_protected_fields`` are set only by the document's transitions;
    ``_ctrl_content_fields`` (all fields when empty) are what is locked and
    what the document's fingerprint reads."""

    _name = "ctrl.lifecycle.line.mixin"
    _description = "Internal Control: lines of a guarded document"

    _ctrl_parent_field = None
    _ctrl_content_fields = ()
    _ctrl_protected_fields = ()

    def _ctrl_parents(self):
        return self[self._ctrl_parent_field]

    def _ctrl_check_parents_draft(self, parents, names):
        for parent in parents.filtered(lambda p: not p._ctrl_is_draft()):
            raise UserError(parent._ctrl_locked_message({parent._ctrl_lines_field(self._name)} - {None} or names))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            protected = set(self._ctrl_protected_fields) & set().union(*vals_list)
            if protected:
                raise AccessError(_("%(fields)s of %(model)s is set by its workflow, not by hand.",
                                    fields=", ".join(sorted(protected)), model=self._description))
            parents = self.env[self._fields[self._ctrl_parent_field].comodel_name].browse(
                {vals[self._ctrl_parent_field] for vals in vals_list if vals.get(self._ctrl_parent_field)})
            self._ctrl_check_parents_draft(parents, set())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            protected = set(self._ctrl_protected_fields) & set(vals)
            if protected:
                raise AccessError(_("%(fields)s of %(model)s change only through the document's buttons.",
                                    fields=", ".join(sorted(protected)), model=self._description))
            locked = set(vals) & set(self._ctrl_content_fields) if self._ctrl_content_fields else set(vals)
            if locked:
                parents = self._ctrl_parents()
                if vals.get(self._ctrl_parent_field):
                    parents |= parents.browse(vals[self._ctrl_parent_field])
                self._ctrl_check_parents_draft(parents, locked)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._ctrl_check_parents_draft(self._ctrl_parents().exists(), set())
        return super().unlink()
