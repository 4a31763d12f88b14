# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import closing

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class CtrlGoLivePreview(models.TransientModel):
    """What activating a company's internal controls would do at the next
    run of the escalation ladders, per ladder and level (issue #24). Counted
    by the engine's own queries with the company made live inside a savepoint
    that is rolled back: nothing but the preview is written."""

    _name = "ctrl.go.live.preview"
    _description = "Go-live Preview"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    go_live_date = fields.Date(related="company_id.ctrl_go_live_date")
    backlog_policy = fields.Selection(related="company_id.ctrl_backlog_policy")
    date = fields.Date("Counted on", readonly=True)
    line_ids = fields.One2many("ctrl.go.live.preview.line", "preview_id", "Levels", readonly=True)
    empty_group_ids = fields.Many2many(
        "res.groups", string="Groups without members", readonly=True,
        help="Levels give their activities to these groups, which have no active member: the activities "
        "would all go to the administrator.")

    @api.model
    def _ctrl_compute(self, company):
        """Count, then store, the preview of ``company``'s go-live."""
        company.ensure_one()
        if not self.env.su and (not self.env.user.has_group("ctrl_base.group_ctrl_manager")
                                or company not in self.env.user.company_ids):
            raise AccessError(_("Only an Internal Control administrator of the company can preview its go-live."))
        if not company.ctrl_go_live_date:
            raise UserError(_("Set the Go-live date of %(company)s first: the preview counts what activation "
                              "would do from that date on.", company=company.name))
        today = fields.Date.context_today(self)
        # The ladders the scheduled action runs for the company (see ctrl.escalation.ladder._cron_run).
        ladders = self.env["ctrl.escalation.ladder"].sudo().search([("company_id", "in", [company.id, False])])
        levels = [(ladder, level) for ladder in ladders for level in ladder.level_ids.sorted(lambda lv: lv._rank())]
        lines, totals = self._ctrl_count_as_live(company, levels, today)
        for vals, (ladder, level) in zip(lines, levels):
            vals.update(ladder_id=ladder.id, level_id=level.id)
            if level._has_no_members():
                vals["note"] = _("The group %(group)s has no active member: its activities would go to the "
                                 "administrator.", group=level.responsible_group_id.name)
        empty = [level.responsible_group_id.id for _ladder, level in levels if level._has_no_members()]
        return self.create({
            "company_id": company.id, "date": today,
            "line_ids": [Command.create(vals) for vals in lines],
            "empty_group_ids": [Command.set(empty)],
            **totals,
        })

    @api.model
    def _ctrl_count_as_live(self, company, levels, today):
        """The figures of each (ladder, level), and the preview's own figures
        (``_ctrl_preview_totals``), counted as if ``company`` were live with
        its go-live date and older-documents choice. The savepoint (which
        flushes first) is always rolled back, which also clears the caches."""
        with closing(self.env.cr.savepoint()):
            self.env.cr.execute(SQL("UPDATE res_company SET ctrl_live = TRUE WHERE id = %s", company.id))
            self.env["res.company"].invalidate_model(["ctrl_live"])
            lines = [ladder._preview(level, today, company) for ladder, level in levels]
            return lines, self._ctrl_preview_totals(company, today)

    @api.model
    def _ctrl_preview_totals(self, company, today):
        """Values of the preview for what the scheduled actions do outside
        the escalation ladders (counted as live; extended by the addons)."""
        return {}
