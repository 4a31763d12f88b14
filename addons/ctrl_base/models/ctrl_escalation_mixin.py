# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlEscalationMixin(models.AbstractModel):
    """Lets a model be watched by escalation ladders and see its steps."""

    _name = "ctrl.escalation.mixin"
    _description = "Internal Control: escalation steps"

    ctrl_escalation_step_ids = fields.One2many(
        "ctrl.escalation.step", "res_id", string="Escalation steps",
        domain=lambda self: [("res_model", "=", self._name)],
    )

    def _ctrl_escalation_domain(self, ladder):
        """Extra domain the engine adds for this model, e.g. to pause records
        while a promise to pay is pending. Override and extend."""
        return []

    def _ctrl_escalation_level_domain(self, level, today):
        """Extra domain the engine adds for one ``level`` only, on the run's
        ``today``, e.g. a level a company switches on in its settings. A
        record it leaves out is not a candidate at that level; it still is at
        the following ones. Override and extend."""
        return []

    def _ctrl_escalation_tables(self):
        """Tables this model's level actions fill by the thousand, besides the
        engine's own: the engine keeps their statistics current during a long
        run. Override and extend."""
        return []

    def _ctrl_escalation_placed(self, level):
        """The engine recorded these records at ``level`` at go-live, without
        running its actions (backlog policy 'place'): keep only what shows the
        level reached (no activity, mail, hold or deduction). Override and extend."""
        return

    def _ctrl_escalation_preview(self, level):
        """Go-live preview: figures of what ``level``'s own actions would do to
        these records, as values of the preview line (the model's addon adds
        the columns). ``activity_count`` and ``user_ids`` (user ids), when
        given, add to the level's own activities. Reads only. Override and extend."""
        return {}

    def _ctrl_escalation_level(self, code):
        """The highest level of ladder ``code`` each record reached: {id: level}."""
        ladder = self.env["ctrl.escalation.ladder"]._for(code)
        steps = self.env["ctrl.escalation.step"].sudo().search([
            ("ladder_id", "=", ladder.id), ("res_model", "=", self._name), ("res_id", "in", self.ids),
        ])
        result = {}
        for step in steps:
            current = result.get(step.res_id)
            if not current or step.level_id._rank() > current._rank():
                result[step.res_id] = step.level_id
        return result

    def _ctrl_escalation_reset(self, code):
        """Forget the steps of ladder ``code`` (e.g. after full payment), so
        that a new overdue period starts from the first level again."""
        ladder = self.env["ctrl.escalation.ladder"]._for(code)
        self.env["ctrl.escalation.step"].sudo().search([
            ("ladder_id", "=", ladder.id), ("res_model", "=", self._name), ("res_id", "in", self.ids),
        ]).unlink()
