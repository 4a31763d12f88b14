# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Advisory lock key of the steps' ANALYZE (one worker at a time).
ANALYZE_LOCK = 7266
RETRY_BACKOFF = timedelta(minutes=5)


class CtrlEscalationStep(models.Model):
    """The key and log of one level run on one record: (level, model, id) is
    unique, which is what makes the engine idempotent."""

    _name = "ctrl.escalation.step"
    _description = "Escalation Step"
    _order = "date desc, id desc"
    _rec_name = "level_id"
    _inherit = ["ctrl.document.mixin"]

    ladder_id = fields.Many2one("ctrl.escalation.ladder", required=True, ondelete="cascade", index=True)
    level_id = fields.Many2one("ctrl.escalation.level", required=True, ondelete="cascade")
    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(required=True, model_field="res_model")
    company_id = fields.Many2one("res.company", index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    # skipped: history recorded at go-live at the level it had reached, without the level's actions.
    state = fields.Selection([("done", "Done"), ("skipped", "Recorded at go-live"), ("retry", "To retry"),
                              ("failed", "Failed")], default="done", required=True, index=True)
    retry_count = fields.Integer(readonly=True, help="Runs that met a transient database error (a concurrent "
                                                     "edit, a deadlock, a lock timeout).")
    retry_after = fields.Datetime(readonly=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null", index="btree_not_null")
    message = fields.Text()

    _sql_constraints = [
        ("level_record_uniq", "unique(level_id, res_model, res_id)",
         "A level runs only once on a record."),
    ]

    def init(self):
        # Candidate queries look steps up by record.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS ctrl_escalation_step_record_idx "
            "ON ctrl_escalation_step (res_id, res_model, level_id)"
        )

    def _ctrl_reset(self, reason):
        """Forget these levels, and the later levels of the same ladders, on
        their records, so that the engine runs them again. Only an Internal
        Control administrator, with a reason that the record's chatter keeps.
        Steps are otherwise read-only to everyone."""
        if not self.env.user.has_group("ctrl_base.group_ctrl_manager"):
            raise AccessError(_("Only an Internal Control administrator can reset an escalation level."))
        if not (reason or "").strip():
            raise UserError(_("Give the reason for resetting the escalation level."))
        Step = self.sudo()
        for step in self:
            later = Step.search([("ladder_id", "=", step.ladder_id.id), ("res_model", "=", step.res_model),
                                 ("res_id", "=", step.res_id), ("level_id.days", ">=", step.level_id.days)])
            record = self.env[step.res_model].browse(step.res_id).exists()
            if record and hasattr(record, "_message_log"):
                record.sudo()._message_log(body=_(
                    "Escalation '%(ladder)s' reset before level '%(level)s' by %(user)s: %(reason)s",
                    ladder=step.ladder_id.name, level=step.level_id.name, user=self.env.user.name, reason=reason))
            later.unlink()
        return True

    def _ctrl_retry_later(self, message):
        """Retry after a backoff that doubles each time; fail after the last try."""
        tries = int(self.env["ir.config_parameter"].sudo().get_param("ctrl_base.escalation_max_tries", 3))
        last = self.filtered(lambda s: s.retry_count + 1 >= tries)
        last._ctrl_fail(message)
        now = fields.Datetime.now()
        for step in self - last:
            step.write({"state": "retry", "retry_count": step.retry_count + 1, "message": message,
                        "retry_after": now + RETRY_BACKOFF * 2 ** step.retry_count})

    def _ctrl_fail(self, message):
        """Keep the steps as failed, and ask the Internal Control administrators to look."""
        if not self:
            return
        self.write({"state": "failed", "message": message, "retry_count": 0})
        managers = self.env.ref("ctrl_base.group_ctrl_manager").users.filtered("active")
        for ladder in self.ladder_id:
            failed = self.filtered(lambda s, la=ladder: s.ladder_id == la)
            for user in managers:
                ladder.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id,
                    summary=_("%(count)s escalation steps failed", count=len(failed)),
                    note=_("Open the Escalation Log (filter Failed), fix the cause, then reset the level: %(error)s",
                           error=message))

    def _set_activities(self, activity_of):
        """Link steps to their activity, {step id: activity id}, in one statement."""
        if not activity_of:
            return
        self.flush_model(["activity_id"])
        self.env.cr.execute(SQL(
            """UPDATE ctrl_escalation_step step SET activity_id = link.activity_id
                 FROM unnest(%s::int[], %s::int[]) AS link(step_id, activity_id)
                WHERE step.id = link.step_id""",
            list(activity_of), list(activity_of.values())))
        self.browse(activity_of).invalidate_recordset(["activity_id"])

    @api.model
    def _refresh_statistics(self, tables):
        """ANALYZE those of ``tables`` that changed by a tenth since their last
        analysis, as autovacuum would. A run adds steps, activities, followers
        and mails by the thousand, faster than autovacuum follows, and plans
        made on "empty" statistics read whole tables per row: the candidate
        queries probed the steps once per record (49 s instead of 0.2 s per
        query at 100,000 invoices), and the foreign key checks of new
        followers, planned once per connection, read every follower per row
        (half of a first run at 100,000 invoices). An analysis also makes
        PostgreSQL plan those again. One worker analyzes a table at a time:
        the others go on with the statistics as they are, and a transaction
        analyzes a table once (its counters reset only when it commits)."""
        analyzed = self.env.cr.postcommit.data.setdefault("ctrl_base.analyzed", set())
        tables = sorted(set(tables) - analyzed)
        if not tables:
            return
        self.env.cr.execute(SQL(
            """SELECT cls.relname FROM pg_stat_user_tables stat JOIN pg_class cls ON cls.oid = stat.relid
                WHERE stat.relid = ANY(%s::regclass[])
                  AND stat.n_mod_since_analyze > 1000 + 0.1 * GREATEST(cls.reltuples, 0)
                  AND pg_try_advisory_xact_lock(%s, stat.relid::int)
                ORDER BY cls.relname""", tables, ANALYZE_LOCK))
        for (table,) in self.env.cr.fetchall():
            self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
            analyzed.add(table)
