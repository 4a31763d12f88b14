# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

# (days, name, role, activity deadline, options): roles are the acting people of 001 §3.3.
PRESETS = {
    "ladder_a": [
        (1, "1-10 days: salesperson phones, reports to the department manager", "salesperson", 10, {"mail": True}),
        (11, "11-60 days: sales VP visits on site (20% deduction)", "sales_vp", 50,
         {"letter": True, "deduction": 20.0}),
        (61, "61-90 days: general manager approves legal action (50% deduction)", "gm", 30,
         {"hold": True, "case": "legal", "deduction": 50.0}),
    ],
    "ar02": [
        (10, "10 days: salesperson reports to the marketing director", "salesperson", 20, {"mail": True}),
        (30, "30 days: marketing director steps in, customer held", "sales_manager", 15,
         {"letter": True, "hold": True}),
        (45, "45 days: problem account", "sales_manager", 7, {"case": "problem"}),
    ],
    "ar04": [
        (1, "1-15 days: reminder notice and phone call", "salesperson", 15, {"mail": True, "letter": True}),
        (16, "16-30 days: VP visits on site", "sales_vp", 15, {}),
        (31, "Over 30 days: general manager, legal action", "gm", 30, {"hold": True, "case": "legal"}),
    ],
    "s08": [
        (15, "15 days: salesperson chases", "salesperson", 5, {"mail": True}),
        (20, "15-20 days: report to the department manager, phone", "sales_manager", 10, {}),
        (30, "30-45 days: VP sends someone on site", "sales_vp", 15, {"letter": True, "hold": True}),
        (60, "60 days: general manager", "gm", 30, {"case": "problem"}),
    ],
    "ar01": [
        (61, "2 months: 10% of the performance basis", "salesperson", 30, {"mail": True, "deduction": 10.0}),
        (91, "3 months: 30%", "sales_manager", 30, {"letter": True, "deduction": 30.0}),
        (121, "4 months: 50%", "gm", 30, {"hold": True, "deduction": 50.0}),
    ],
}
ROLE_FIELDS = {"salesperson": "invoice_user_id", "sales_manager": "team_id.user_id"}
ROLE_GROUPS = {"sales_vp": "ctrl_base.group_approver_sales_vp", "gm": "ctrl_base.group_approver_gm",
               "legal": "ctrl_receivable.group_receivable_legal"}


class CtrlCollectionPreset(models.TransientModel):
    """Load a collection ladder named by its source into the company's
    ladder. The levels are replaced; invoices already escalated resume at
    the new ladder's level for their days overdue (deductions, holds and
    cases are not booked twice)."""

    _name = "ctrl.collection.preset"
    _description = "Load a Collection Ladder Preset"

    ladder_id = fields.Many2one(
        "ctrl.escalation.ladder", required=True,
        default=lambda self: self.env["ctrl.escalation.ladder"]._for("collection"),
        domain="[('code', '=', 'collection')]")
    preset = fields.Selection([
        ("ladder_a", "Standard: 1 / 11 / 61 days, 20% and 50% deductions"),
        ("ar02", "10 / 30 / 45 days, problem account at 45"),
        ("ar04", "1-15 / 16-30 / over 30 days"),
        ("s08", "15 / 20 / 30-45 / 60 days"),
        ("ar01", "Salary schedule: 2 / 3 / 4 months, 10% / 30% / 50%"),
    ], required=True, default="ladder_a")

    @api.model
    def _level_vals(self, days, name, role, deadline, options):
        vals = {
            "days": days, "name": name, "activity_type_id": self.env.ref("ctrl_base.mail_activity_type_escalation").id,
            "activity_summary": name, "activity_deadline_days": deadline,
            "activity_group_field": "commercial_partner_id",
            "callback": "_ctrl_escalation_collection",
            "ctrl_recv_letter": options.get("letter", False), "ctrl_recv_hold": options.get("hold", False),
            "ctrl_recv_open_case": options.get("case", False), "ctrl_recv_deduction": options.get("deduction", 0.0),
            "mail_template_id": options.get("mail") and self.env.ref(
                "ctrl_receivable.mail_template_collection_reminder").id,
        }
        if role in ROLE_FIELDS:
            vals.update(responsible_type="field", responsible_field=ROLE_FIELDS[role])
        else:
            vals.update(responsible_type="group", responsible_group_id=self.env.ref(ROLE_GROUPS[role]).id)
        return vals

    def action_load(self):
        self.ensure_one()
        if not self.env.user.has_group("ctrl_receivable.group_receivable_manager"):
            raise UserError(_("Only Receivables managers load collection ladders."))
        ladder = self.ladder_id.sudo()
        # The levels after the due date; the reminder before it (a setting of its own) stays.
        ladder.level_ids.filtered(lambda lv: lv.days > 0).unlink()
        ladder.write({"level_ids": [fields.Command.create(self._level_vals(*row)) for row in PRESETS[self.preset]]})
        label = dict(self._fields["preset"]._description_selection(self.env))[self.preset]
        ladder.message_post(body=_("Levels replaced by the preset %(preset)s.", preset=label))
        return {"type": "ir.actions.act_window", "res_model": "ctrl.escalation.ladder", "res_id": ladder.id,
                "view_mode": "form"}
