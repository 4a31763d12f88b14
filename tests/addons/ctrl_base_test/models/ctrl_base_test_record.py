# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlBaseTestRecord(models.Model):
    _name = "ctrl.base.test.record"
    _description = "ctrl_base test record"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "ctrl.approval.mixin",
        "ctrl.escalation.mixin",
        "ctrl.checklist.mixin",
        "ctrl.bulk.mixin",
    ]

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)
    amount_total = fields.Monetary()
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    date_ref = fields.Date()
    paused = fields.Boolean()
    approved = fields.Boolean()
    rejected = fields.Boolean()
    callback_count = fields.Integer()
    ready = fields.Boolean()

    def _ctrl_on_approval_done(self, request):
        self.write({"approved": request.state == "approved", "rejected": request.state == "rejected"})

    def _ctrl_escalation_domain(self, ladder):
        return [("paused", "=", False)]

    def _ctrl_escalation_count(self, level):
        for record in self:
            record.callback_count += 1

    def _ctrl_escalation_locked(self, level):
        """Waits at most 0.2 s for an advisory lock a test may hold: a real lock timeout."""
        self.env.cr.execute("SET LOCAL lock_timeout = '200ms'")
        self.env.cr.execute("SELECT pg_advisory_xact_lock(726599)")
        self.env.cr.execute("SET LOCAL lock_timeout = 0")
        self._ctrl_escalation_count(level)

    def _ctrl_checklist_check_ready(self):
        return "" if self.ready else "the record is not ready"
