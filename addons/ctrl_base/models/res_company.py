# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

BACKLOG_POLICIES = [
    ("ignore", "Leave older documents alone"),
    ("place", "Record older documents at their level, without acting"),
    ("full", "Apply every step to older documents too"),
]
POLICIES = [("odoo", "Odoo defaults"), ("seed", "Seed policy")]


class ResCompany(models.Model):
    """Go-live of the internal controls, per company (issue #24).

    A company is *live* once an Internal Control administrator activated it:
    before that, no ctrl scheduled action and no escalation ladder does
    anything for it, so installing ctrl into a database with years of history
    penalises nothing. Documents whose escalation date is before the go-live
    date follow the backlog policy. Live with no go-live date means "no
    cut-off" (companies that ran ctrl before go-live dates existed)."""

    _inherit = "res.company"

    ctrl_live = fields.Boolean(
        "Internal controls active", default=False, readonly=True, copy=False,
        help="Set by the Activate button of the Internal Control settings. While off, the scheduled "
        "reminders, escalations, holds and deductions do nothing for this company.",
    )
    ctrl_go_live_date = fields.Date(
        "Go-live date", copy=False,
        help="Documents dated before this day are treated as history, following the choice for older "
        "documents. Empty on an active company: no cut-off.",
    )
    ctrl_backlog_policy = fields.Selection(
        BACKLOG_POLICIES, "Older documents", default="ignore", required=True,
        help="Documents whose reminder or escalation date is before the go-live date: leave them alone; "
        "record them at the level they reached without sending reminders, holds or deductions for the "
        "levels passed; or treat them like new ones.",
    )

    ctrl_policy = fields.Selection(
        POLICIES, "Policy", default="odoo", required=True,
        help="Odoo defaults: the rules that change how Odoo itself works stay off, so Odoo's own flows "
        "(credit limits, credit notes) work as usual. Seed policy: every rule the company's policies make "
        "compulsory is switched on at once. Each setting it changes can still be changed on its own afterwards.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("ctrl_live") for vals in vals_list):
            self._ctrl_refuse_live_write()
        vals_list = [self._ctrl_policy_vals(vals) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        vals = self._ctrl_policy_vals(vals)
        # Only the Activate / Deactivate actions (which check the group, then write as superuser).
        if "ctrl_live" in vals and not self.env.su and any(c.ctrl_live != bool(vals["ctrl_live"]) for c in self):
            self._ctrl_refuse_live_write()
        return super().write(vals)

    # Policy switch (issue #22) ---------------------------------------------
    @api.model
    def _ctrl_policy_settings(self):
        """The settings the policy switch sets: ``{field: (Odoo default, seed policy)}``.
        Each addon adds the rules the seeds make compulsory (必须) and that change a native
        flow or are off by default. ``None`` leaves the field as it is under that policy."""
        # 003/D7 第四条, D17: incompatible duties are kept apart.
        return {"ctrl_duty_refuse_conflicts": (False, True)}

    @api.model
    def _ctrl_policy_vals(self, vals):
        """``vals`` completed with the settings of the policy it chooses; a setting
        given in ``vals`` itself wins (the switch and a setting saved together)."""
        if not vals.get("ctrl_policy"):
            return vals
        index = 1 if vals["ctrl_policy"] == "seed" else 0
        chosen = {name: values[index] for name, values in self._ctrl_policy_settings().items()
                  if values[index] is not None}
        return {**chosen, **vals}

    @api.model
    def _ctrl_policy_reapply(self, module):
        """At the install of ``module``: its settings follow the policy the companies chose before
        (not when the data loads again into an installed module: the settings stay as they are)."""
        state = self.env["ir.module.module"].sudo().search([("name", "=", module)]).state
        if state != "to install":
            return
        for company in self.sudo().search([]):
            vals = company._ctrl_policy_vals({"ctrl_policy": company.ctrl_policy})
            own = {name: value for name, value in vals.items()
                   if name != "ctrl_policy" and self._fields[name]._module == module}
            if own:
                company.write(own)

    def _ctrl_refuse_live_write(self):
        raise AccessError(_("Internal controls are switched on and off with the Activate and Deactivate "
                            "buttons of the Internal Control settings."))

    def _ctrl_check_admin(self):
        if not self.env.su and not self.env.user.has_group("ctrl_base.group_ctrl_manager"):
            raise AccessError(_("Only an Internal Control administrator can switch the internal controls "
                                "on or off."))

    def action_ctrl_activate(self):
        """Switch the internal controls on: from now on the scheduled actions act for these companies."""
        self._ctrl_check_admin()
        missing = self.filtered(lambda c: not c.ctrl_go_live_date)
        if missing:
            raise UserError(_("Set the Go-live date of %(companies)s before activating the internal controls: "
                              "documents dated before it are treated as history.",
                              companies=", ".join(missing.mapped("name"))))
        self.sudo().write({"ctrl_live": True})
        return True

    def action_ctrl_preview(self):
        """Show what activating would do at the next run, without doing it."""
        self.ensure_one()
        preview = self.env["ctrl.go.live.preview"]._ctrl_compute(self)
        return {
            "type": "ir.actions.act_window", "name": _("Go-live preview"), "res_model": preview._name,
            "res_id": preview.id, "view_mode": "form", "target": "new",
        }

    def action_ctrl_deactivate(self):
        """Switch the internal controls off: the scheduled actions stop acting for these companies."""
        self._ctrl_check_admin()
        self.sudo().write({"ctrl_live": False})
        return True

    @api.model
    def _ctrl_live_companies(self):
        """The companies whose internal controls are active (what every ctrl scheduled action serves)."""
        return self.sudo().search([("ctrl_live", "=", True)])

    @api.model
    def _ctrl_live_sql(self, company_sql, date_sql=None, policies=("ignore", "place"), live=None):
        """SQL condition: ``company_sql`` is a live company and, when ``date_sql``
        is given, that date is not before the company's go-live date under one
        of ``policies`` (the backlog those policies keep away from the actions).
        ``live``: the caller's own condition for the first part."""
        self.flush_model(["ctrl_live", "ctrl_go_live_date", "ctrl_backlog_policy"])
        live = live or SQL("%s IN (SELECT id FROM res_company WHERE ctrl_live)", company_sql)
        if date_sql is None or not policies:
            return live
        return SQL(
            """(%(live)s AND NOT EXISTS (
                   SELECT 1 FROM res_company go_live
                    WHERE go_live.id = %(company)s AND go_live.ctrl_go_live_date IS NOT NULL
                      AND go_live.ctrl_backlog_policy IN %(policies)s AND %(date)s < go_live.ctrl_go_live_date))""",
            live=live, company=company_sql, policies=tuple(policies), date=date_sql)

    # 003/D7 第四条, D17 R17.1: off by default (Odoo lets one user hold any groups).
    ctrl_duty_refuse_conflicts = fields.Boolean(
        "Refuse incompatible duties",
        help="Refuse to give a user of this company both duties of an incompatible pair (see Incompatible "
             "duties), in the user form and in the group form.")
