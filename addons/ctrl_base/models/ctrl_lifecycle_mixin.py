# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def content_values(record, names):
    """``names``' values of ``record`` as plain data; x2many lines by their
    own ``_ctrl_content_fields`` (or their ids)."""
    values = {}
    for name in names:
        field, value = record._fields[name], record[name]
        if field.type in ("one2many", "many2many"):
            line_fields = getattr(value, "_ctrl_content_fields", ())
            values[name] = sorted(
                json.dumps(content_values(line, line_fields) if line_fields else line.id, sort_keys=True, default=str)
                for line in value)
        elif field.type == "many2one":
            values[name] = value.id
        elif field.type in ("float", "monetary"):
            values[name] = f"{value or 0.0:.6f}"
        else:
            values[name] = value
    return values


def fingerprint(record, names):
    """A digest of what ``record`` holds in ``names``."""
    return hashlib.sha256(json.dumps(content_values(record, names), sort_keys=True, default=str).encode()).hexdigest()

class CtrlLifecycleMixin(models.AbstractModel):
    """One guarded life cycle for every ctrl document with a workflow.

    A model declares, as class attributes:

    - ``_ctrl_sequence_code``: the ``ir.sequence`` that names new documents
      (field ``name``, default ``"/"``);
    - ``_ctrl_protected_fields``: what only the document's transitions set
      (``state`` is always protected): approvers, entries, results...;
    - ``_ctrl_content_fields``: what an approval covers. They are locked
      outside ``_ctrl_draft_states`` and fingerprinted on the request;
    - ``_ctrl_draft_states``: where content is editable and the document may
      be deleted (default ``("draft",)``);
    - ``_ctrl_approval_kind``, ``_ctrl_submitted_state`` and
      ``_ctrl_approved_state``: what ``_ctrl_submit`` asks for and where an
      approval leads.

    The behaviour is the same for every document:

    - a client's create or write never sets a protected field: only the
      transitions do, through ``_ctrl_set_state`` / ``_ctrl_write_protected``,
      after their own checks (as superuser, which no RPC call can be);
    - content is locked once submitted; the refusal names what locks it;
    - submitting when no approval rule applies is refused;
    - a rejection or a withdrawal returns the document to draft;
    - an approval takes effect only if the document still matches what was
      submitted (``ctrl.approval.request`` checks the fingerprint);
    - a document that left draft is never deleted (posted ones are reversed).
    """

    _name = "ctrl.lifecycle.mixin"
    _description = "Internal Control: guarded document life cycle"
    _inherit = ["ctrl.approval.mixin"]

    _ctrl_sequence_code = None
    _ctrl_protected_fields = ()
    _ctrl_content_fields = ()
    _ctrl_draft_states = ("draft",)
    _ctrl_approval_kind = None
    _ctrl_submitted_state = "to_approve"
    _ctrl_approved_state = "approved"

    # ------------------------------------------------------------------
    # Declarations
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_protected(self):
        """Every field a client may not set."""
        return {"state", *self._ctrl_protected_fields} & set(self._fields)

    def _ctrl_is_draft(self):
        self.ensure_one()
        return "state" not in self._fields or self.state in self._ctrl_draft_states

    @api.model
    def _ctrl_lines_field(self, line_model):
        """The one2many of this document that holds ``line_model`` rows."""
        return next((name for name, field in self._fields.items()
                     if field.type == "one2many" and field.comodel_name == line_model), None)

    def _ctrl_field_label(self, names):
        return ", ".join(f"'{self._fields[name]._description_string(self.env)}'" for name in sorted(names))

    # ------------------------------------------------------------------
    # ORM guards
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._ctrl_check_protected_create(vals_list)
        if self._ctrl_sequence_code:
            for vals in vals_list:
                if vals.get("name", "/") == "/":
                    company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                    vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                        self._ctrl_sequence_code) or "/"
        return super().create(vals_list)

    @api.model
    def _ctrl_check_protected_create(self, vals_list):
        """A new document starts as its defaults say: protected fields may
        only be given with their default value."""
        protected = self._ctrl_protected()
        for vals in vals_list:
            given = protected & set(vals)
            if not given:
                continue
            defaults = self.default_get(list(given))
            forced = {name for name in given
                      if self._fields[name].convert_to_cache(vals[name], self) !=
                      self._fields[name].convert_to_cache(defaults.get(name), self)}
            if forced:
                raise AccessError(_(
                    "%(fields)s of a new %(model)s is set by its workflow, not by hand: leave it empty.",
                    fields=self._ctrl_field_label(forced), model=self._description))

    def write(self, vals):
        if not self.env.su:
            self._ctrl_check_write(vals)
        return super().write(vals)

    def _ctrl_check_write(self, vals):
        protected = self._ctrl_protected() & set(vals)
        if protected:
            raise AccessError(_(
                "%(fields)s of %(model)s change only through its buttons (submit, approve, post, cancel...), "
                "which check who may do it.", fields=self._ctrl_field_label(protected), model=self._description))
        content = set(self._ctrl_content_fields) & set(vals)
        if content:
            for record in self.filtered(lambda r: not r._ctrl_is_draft()):
                raise UserError(record._ctrl_locked_message(content))

    def _ctrl_locked_message(self, names):
        """Why ``names`` cannot change now, and what to do instead."""
        self.ensure_one()
        request = self._ctrl_approval_requests(self._ctrl_approval_kind or "default",
                                               ["pending", "approved"])[:1] if self._ctrl_approval_kind else False
        what = self._ctrl_field_label(names)
        if request and request.state == "pending":
            return _("%(doc)s is locked while it waits for approval: %(fields)s cannot change. It was submitted "
                     "at %(amount)s on %(date)s by %(user)s; withdraw the request to change it.",
                     doc=self.display_name, fields=what, amount=request.currency_id.format(request.amount),
                     date=format_date(self.env, request.create_date), user=request.requested_by_id.name)
        if request:
            approver = request.step_ids.filtered(lambda s: s.state == "approved")[-1:].user_id
            return _("%(doc)s is locked: %(fields)s cannot change. It was approved at %(amount)s on %(date)s by "
                     "%(user)s; cancel it and make a new one to change it.",
                     doc=self.display_name, fields=what, amount=request.currency_id.format(request.amount),
                     date=format_date(self.env, request.date_done), user=approver.name or request.write_uid.name)
        state = dict(self._fields["state"]._description_selection(self.env)).get(self.state, self.state)
        return _("%(doc)s is %(state)s: %(fields)s can only change while it is a draft.",
                 doc=self.display_name, state=state, fields=what)

    @api.ondelete(at_uninstall=True)
    def _unlink_except_submitted(self):
        # Uninstalling a module removes its records as superuser; a client cannot be superuser, so the
        # uninstall flag alone (which a client's context could carry) does not skip the check.
        if self.env.su and self.env.context.get(MODULE_UNINSTALL_FLAG):
            return
        for record in self:
            if not record._ctrl_is_draft():
                raise UserError(_("%(doc)s has left draft and cannot be deleted: cancel it instead (what it posted "
                                  "is then reversed, and the record stays as evidence).", doc=record.display_name))

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _ctrl_write_protected(self, vals):
        """The transitions' own write of protected fields, after their checks."""
        return self.sudo().write(vals)

    def _ctrl_set_state(self, state, **vals):
        return self._ctrl_write_protected(dict(vals, state=state))

    def _ctrl_submit(self, amount=None, reason=None, payload=None):
        """Ask for the approval of ``_ctrl_approval_kind`` and move to the
        submitted state. Refused when no approval rule applies."""
        for record in self:
            if not record._ctrl_is_draft():
                raise UserError(_("%(doc)s was already submitted.", doc=record.display_name))
            request = record._ctrl_request_approval(record._ctrl_approval_kind, reason=reason, amount=amount,
                                                    payload=payload)
            if not request:
                amount_text = record.company_id.currency_id.format(
                    amount if amount is not None else record._ctrl_approval_amount(record._ctrl_approval_kind)) \
                    if "company_id" in record else ""
                raise UserError(_("No approval rule covers %(doc)s %(amount)s: ask an Internal Control "
                                  "administrator to add one (Internal Control > Configuration > Approval Rules).",
                                  doc=record.display_name, amount=amount_text))
            record._ctrl_set_state(record._ctrl_submitted_state)
        return True

    def action_ctrl_withdraw(self):
        """The requester (or an administrator) takes a pending document back to draft."""
        for record in self:
            requests = record._ctrl_approval_requests(record._ctrl_approval_kind, ["pending"])
            if not requests:
                raise UserError(_("%(doc)s is not waiting for approval.", doc=record.display_name))
            requests.with_env(self.env).action_cancel()
            record._ctrl_set_state(record._ctrl_draft_states[0])
            record._message_log(body=_("Approval request withdrawn by %(user)s: back to draft.",
                                       user=self.env.user.name))
        return True

    def _ctrl_on_approval_done(self, request):
        if request.kind != self._ctrl_approval_kind:
            return super()._ctrl_on_approval_done(request)
        for record in self.filtered(lambda r: r.state == r._ctrl_submitted_state):
            if request.state == "approved":
                record._ctrl_set_state(record._ctrl_approved_state)
                record._ctrl_on_approved(request)
            else:
                record._ctrl_set_state(record._ctrl_draft_states[0])
                record._ctrl_on_rejected(request)

    def _ctrl_on_approved(self, request):
        """What the approval authorises (post the entry, apply the limit...)."""

    def _ctrl_on_rejected(self, request):
        """Undo what submitting did (the document is back to draft)."""

    # ------------------------------------------------------------------
    # What an approval binds
    # ------------------------------------------------------------------
    def _ctrl_approval_fingerprint(self, kind):
        if kind != self._ctrl_approval_kind or not self._ctrl_content_fields:
            return super()._ctrl_approval_fingerprint(kind)
        return self._ctrl_fingerprint_of(self._ctrl_content_fields)

    def _ctrl_fingerprint_of(self, names):
        """A digest of ``names``' values; lines count by their own content fields."""
        self.ensure_one()
        return fingerprint(self, names)
