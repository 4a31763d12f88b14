# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.progress import remaining_sql


class CtrlEscalationQueue(models.Model):
    """Today's work list of a ladder: the (level, record) pairs its candidate
    queries found, in the order they run (lowest level first, newest date
    first). The engine fills it with one scan per level when today's list is
    empty and takes each batch from its head, so a run over a million records
    scans them once instead of once per batch. The steps stay the guard
    against running a level twice: the list only says what to look at next,
    and each pair is checked again before it runs."""

    _name = "ctrl.escalation.queue"
    _description = "Escalation Queue"
    _log_access = False
    _order = "ladder_id, day, rank, position"

    ladder_id = fields.Many2one("ctrl.escalation.ladder", required=True, ondelete="cascade")
    level_id = fields.Many2one("ctrl.escalation.level", required=True, ondelete="cascade")
    res_id = fields.Integer("Record ID", required=True)
    day = fields.Date(required=True, help="The day whose run found the record due.")
    rank = fields.Integer(help="The level's place in the ladder, lowest first.")
    position = fields.Integer(help="The record's place within its level, newest reference date first.")

    _sql_constraints = [
        ("level_record_uniq", "unique(level_id, res_id)", "A record is listed once per level."),
    ]

    def init(self):
        # Batches are taken from the head of a ladder's list for the day.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS ctrl_escalation_queue_head_idx "
            "ON ctrl_escalation_queue (ladder_id, day, rank, position)"
        )

    @api.model
    def _ctrl_fill(self, ladder, today):
        """List the candidates of every level of ``ladder`` for ``today``,
        replacing whatever an earlier day left. Returns how many."""
        self.env.cr.execute(SQL("DELETE FROM ctrl_escalation_queue WHERE ladder_id = %s", ladder.id))
        listed = 0
        for rank, level in enumerate(ladder.level_ids.sorted(lambda lv: lv._rank())):
            query = ladder._candidate_query(level, today)
            order, query.order = query.order, None
            # execute_query flushes what the candidate query reads.
            self.env.execute_query(SQL(
                """INSERT INTO ctrl_escalation_queue (ladder_id, level_id, day, rank, position, res_id) %s
                   ON CONFLICT DO NOTHING""",
                query.select(SQL("%s, %s, %s::date, %s", ladder.id, level.id, today, rank),
                             SQL("row_number() OVER (ORDER BY %s)", order),
                             SQL.identifier(query.table, "id"))))
            listed += self.env.cr.rowcount
        return listed

    @api.model
    def _ctrl_pop(self, ladder, today, limit):
        """Take the next ``limit`` pairs of ``ladder``'s list for ``today`` off
        it: [(level id, record id)] in their running order."""
        self.env.cr.execute(SQL(
            """DELETE FROM ctrl_escalation_queue WHERE id IN (
                   SELECT id FROM ctrl_escalation_queue WHERE ladder_id = %s AND day = %s
                    ORDER BY rank, position LIMIT %s)
               RETURNING rank, position, level_id, res_id""", ladder.id, today, limit))
        return [(level_id, res_id) for _rank, _position, level_id, res_id in sorted(self.env.cr.fetchall())]

    @api.model
    def _ctrl_count(self, ladder, today, batch_size):
        """The pairs left on ``ladder``'s list for ``today`` (counted up to
        a few batches of ``batch_size``)."""
        self.env.cr.execute(remaining_sql(SQL(
            "SELECT 1 FROM ctrl_escalation_queue WHERE ladder_id = %s AND day = %s", ladder.id, today), batch_size))
        return self.env.cr.fetchone()[0]
