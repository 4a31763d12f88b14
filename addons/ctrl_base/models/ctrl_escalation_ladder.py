# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from psycopg2 import errors

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)

# Errors another transaction caused: the same actions succeed when run again later.
TRANSIENT_ERRORS = (errors.SerializationFailure, errors.DeadlockDetected, errors.LockNotAvailable)


class CtrlEscalationLadder(models.Model):
    """Levels that fire once per record as days pass after a reference date.

    The engine is set-based and idempotent: each (level, record) pair is
    claimed with ``INSERT ... ON CONFLICT DO NOTHING`` on a unique key before
    its actions run, so two workers, a rerun or a resumed run never act twice.
    Triggers are windows: a record is a candidate only at the highest level
    its reference date reached (``today - next level's days < date <= today -
    days``), so a skipped run catches up and a record that passed several
    levels at once gets only the highest one. Negative days fire before the
    reference date (``-7``: a week before an invoice's due date). Levels run lowest first, newest
    reference date first, so that a big backlog does not keep the records
    that just fell due waiting.
    """

    _name = "ctrl.escalation.ladder"
    _description = "Escalation Ladder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "model_name, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True, index=True,
        help="Technical key the owning addon uses to find its ladder, e.g. 'collection'.",
    )
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    model_id = fields.Many2one("ir.model", required=True, ondelete="cascade")
    model_name = fields.Char("Model name", related="model_id.model", store=True, index=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    date_field = fields.Char(
        required=True,
        help="Date or datetime field of the record that the level days count from.",
    )
    domain = fields.Char(default="[]", help="Records the ladder watches.")
    advance_on_missed_deadline = fields.Boolean(
        help="Move a record to the next level as soon as the activity of its "
        "current level is past its deadline, without waiting for the next level's days.",
    )
    level_ids = fields.One2many("ctrl.escalation.level", "ladder_id", copy=True)
    step_count = fields.Integer(compute="_compute_step_count")

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "A ladder code is unique per company."),
    ]

    def _compute_step_count(self):
        counts = dict(self.env["ctrl.escalation.step"]._read_group(
            [("ladder_id", "in", self.ids)], ["ladder_id"], ["__count"]
        ))
        for ladder in self:
            ladder.step_count = counts.get(ladder, 0)

    @api.constrains("date_field", "model_id", "domain")
    def _check_model_fields(self):
        for ladder in self:
            model = self.env[ladder.model_name]
            field = model._fields.get(ladder.date_field)
            if not field or field.type not in ("date", "datetime") or not field.store:
                raise ValidationError(
                    _("Ladder %(ladder)s: the reference date field %(field)s must be a "
                      "stored date field of %(model)s.",
                      ladder=ladder.name, field=ladder.date_field, model=ladder.model_name)
                )
            try:
                model.search_count(ladder._get_domain(), limit=1)
            except Exception as error:
                raise ValidationError(
                    _("Ladder %(ladder)s: the domain is not valid (%(error)s).",
                      ladder=ladder.name, error=error)
                ) from error

    def _get_domain(self):
        self.ensure_one()
        return safe_eval(self.domain or "[]")

    def action_view_steps(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_base.ctrl_escalation_step_action")
        action["domain"] = [("ladder_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------
    @api.model
    def _for(self, code, company=None):
        """The active ladder with ``code`` for ``company`` (or a shared one)."""
        company = company or self.env.company
        return self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company.id, False])],
            order="company_id nulls last", limit=1,
        )

    def _candidate_query(self, level, today):
        """Query of the records that must run ``level`` now: in the ladder's
        domain and company, past the level's days (or past the deadline of the
        previous level's activity) but not past the next level's days (that
        level is theirs), and with no step at this level or above. Newest
        reference date first."""
        self.ensure_one()
        model = self.env[self.model_name].sudo().with_context(active_test=False)
        domain = self._get_domain()
        if self.company_id and "company_id" in model._fields:
            domain = domain + [("company_id", "=", self.company_id.id)]
        if hasattr(model, "_ctrl_escalation_domain"):
            domain = domain + model._ctrl_escalation_domain(self)
        if hasattr(model, "_ctrl_escalation_level_domain"):
            domain = domain + model._ctrl_escalation_level_domain(level, today)
        query = model._search(domain)
        table = query.table
        limit_date = today - timedelta(days=level.days)
        date_sql = model._field_to_sql(table, self.date_field, query)
        # Go-live (issue #24): only records of live companies, and never the
        # history that the 'ignore' policy leaves alone.
        query.add_where(self.env["res.company"]._ctrl_live_sql(
            self._company_sql(table), date_sql, policies=("ignore",), live=self._live_column_sql(table)))
        higher = self.level_ids.filtered(lambda lv: lv._rank() >= level._rank())
        reached = SQL("%s <= %s", date_sql, limit_date)
        previous = self.level_ids.filtered(lambda lv: lv._rank() < level._rank()).sorted(lambda lv: lv._rank())[-1:]
        following = (higher - level).sorted(lambda lv: lv._rank())[:1]
        if self.advance_on_missed_deadline and previous:
            # Uncorrelated, so PostgreSQL hashes it once instead of probing per record.
            missed = SQL(
                """%s IN (SELECT s.res_id FROM ctrl_escalation_step s
                           JOIN mail_activity a ON a.id = s.activity_id
                          WHERE s.level_id = %s AND s.res_model = %s AND a.active AND a.date_deadline < %s)""",
                SQL.identifier(table, "id"), previous.id, self.model_name, today,
            )
            if level.days > 0:
                # A missed deadline of a level before the reference date (days <= 0) never makes a record
                # reach a level after it before the date has passed (an invoice is not overdue early).
                missed = SQL("(%s AND %s < %s)", missed, date_sql, today)
            reached = SQL("(%s OR %s)", reached, missed)
        query.add_where(reached)
        if following:
            # Past the next level's days too: a candidate there, never here (only the highest level runs).
            query.add_where(SQL("COALESCE(%s > %s, TRUE)", date_sql, today - timedelta(days=following.days)))
        query.add_where(SQL(
            """NOT EXISTS (SELECT 1 FROM ctrl_escalation_step s
                            WHERE s.res_model = %s AND s.res_id = %s AND s.level_id IN %s)""",
            self.model_name, SQL.identifier(table, "id"), tuple(higher.ids),
        ))
        # Newest first: a record that just fell due is served before the backlog.
        query.order = SQL("%s DESC NULLS LAST, %s", date_sql, SQL.identifier(table, "id"))
        return query

    def _company_sql(self, table):
        """The company a watched record belongs to, for the go-live checks: the
        ladder's, else the record's, else (a record shared by all companies)
        the main company."""
        main = self.env.ref("base.main_company", raise_if_not_found=False) or self.env.company
        if self.company_id:
            return SQL("%s::int", self.company_id.id)
        field = self.env[self.model_name]._fields.get("company_id")
        if field and field.store and field.type == "many2one":
            return SQL("COALESCE(%s, %s)", SQL.identifier(table, "company_id"), main.id)
        return SQL("%s::int", main.id)

    def _live_column_sql(self, table):
        """The record's company is live, said on the plain company column (None without one): PostgreSQL
        estimates a column from its statistics, but took COALESCE(company, main company) IN (live companies)
        for 1 % of the records, and then probed the steps once per record (2.2 s instead of 1.1 s a list at a
        million invoices)."""
        field = self.env[self.model_name]._fields.get("company_id")
        if self.company_id or not (field and field.store and field.type == "many2one"):
            return None
        live = self.env["res.company"]._ctrl_live_companies()
        main = self.env.ref("base.main_company", raise_if_not_found=False) or self.env.company
        column = SQL.identifier(table, "company_id")
        condition = SQL("%s = ANY(%s)", column, live.ids or [0])
        return SQL("(%s OR %s IS NULL)", condition, column) if main in live else condition

    def _backlog_ids(self, level, res_ids):
        """Among ``res_ids``, the records whose company records history at its
        level without acting ('place'): dated before the go-live date, and
        having reached ``level`` before it too."""
        if not res_ids:
            return set()
        model = self.env[self.model_name].sudo().with_context(active_test=False)
        self.env["res.company"].flush_model(["ctrl_go_live_date", "ctrl_backlog_policy"])
        query = model._search([("id", "in", list(res_ids))])
        date_sql = model._field_to_sql(query.table, self.date_field, query)
        query.add_where(SQL(
            """EXISTS (SELECT 1 FROM res_company go_live
                        WHERE go_live.id = %s AND go_live.ctrl_backlog_policy = 'place'
                          AND go_live.ctrl_go_live_date IS NOT NULL
                          AND %s < go_live.ctrl_go_live_date - %s)""",
            self._company_sql(query.table), date_sql, max(level.days, 0)))
        return {row[0] for row in self.env.execute_query(query.select())}

    def _claim(self, level, res_ids, state="done"):
        """Insert the (level, record) keys; return the ids this worker won."""
        if not res_ids:
            return []
        self.env["ctrl.escalation.step"].flush_model()
        # A step belongs to its record's company, so multi-company rules hide it from the others.
        model = self.env[self.model_name]
        company = SQL("%s::int", self.company_id.id or None)
        if "company_id" in model._fields and model._fields["company_id"].store:
            model.flush_model(["company_id"])
            company = SQL("COALESCE(%s, (SELECT rec.company_id FROM %s rec WHERE rec.id = rid))",
                          self.company_id.id or None, SQL.identifier(model._table))
        self.env.cr.execute(SQL(
            """INSERT INTO ctrl_escalation_step
                   (ladder_id, level_id, res_model, res_id, company_id, state, date,
                    create_uid, create_date, write_uid, write_date)
               SELECT %(ladder)s, %(level)s, %(model)s, rid, %(company)s, %(state)s, now() at time zone 'utc',
                      %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                 FROM unnest(%(ids)s::int[]) AS rid
               ON CONFLICT (level_id, res_model, res_id) DO NOTHING
               RETURNING res_id""",
            ladder=self.id, level=level.id, model=self.model_name, company=company,
            uid=self.env.uid, ids=list(res_ids), state=state,
        ))
        won = [row[0] for row in self.env.cr.fetchall()]
        if won:
            self.env["ctrl.escalation.step"].invalidate_model()
            if "ctrl_escalation_step_ids" in model._fields:
                model.browse(won).invalidate_recordset(["ctrl_escalation_step_ids"])
        return won

    def _statistics_tables(self):
        """The tables a run fills: the engine's, and those the watched model's
        actions fill (its ``_ctrl_escalation_tables``)."""
        model = self.env[self.model_name]
        # The queue too: planned as empty, each batch taken from a list of a million read all of it (0.3 s).
        tables = ["ctrl_escalation_step", "ctrl_escalation_queue", "mail_activity", "mail_followers",
                  "mail_followers_mail_message_subtype_rel", "mail_message", "mail_mail", model._table]
        if hasattr(model, "_ctrl_escalation_tables"):
            tables += model._ctrl_escalation_tables()
        return tables

    def _run_batch(self, limit=None, today=None):
        """Run at most ``limit`` (level, record) pairs, taken from today's
        queue (``ctrl.escalation.queue``), which is filled from the candidate
        queries whenever it runs out. Returns (done, remaining); remaining
        is counted up to a few batches."""
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        limit = limit or int(self.env["ir.config_parameter"].sudo().get_param("ctrl_base.escalation_batch_size", 1000))
        Step, Queue = self.env["ctrl.escalation.step"], self.env["ctrl.escalation.queue"]
        # Candidate queries read steps and activities in raw SQL.
        Step.flush_model()
        self.env["mail.activity"].flush_model(["date_deadline"])
        Step._refresh_statistics(self._statistics_tables())
        done = self._run_retries(limit)
        budget = limit - done
        filled = False
        while budget > 0:
            pairs = Queue._ctrl_pop(self, today, budget)
            if not pairs:
                if filled:
                    break
                # Today's queue ran out: list what fell due since it was filled (or everything, on a new day).
                Queue._ctrl_fill(self, today)
                filled = True
                continue
            budget -= len(pairs)
            done += self._run_pairs(pairs, today)
        remaining = Queue._ctrl_count(self, today, limit)
        if not remaining and not filled:
            # The queue ran out exactly: one more call looks for what fell due meanwhile.
            remaining = 1
        return done, remaining

    def _run_pairs(self, pairs, today):
        """Run the (level id, record id) ``pairs`` that are still due, checked
        with the candidate query, lowest level first. Returns how many ran, were
        placed or were no longer due (looked at: ir.cron stops on no progress)."""
        done = 0
        for level in self.level_ids.sorted(lambda lv: lv._rank()):
            ids = [res_id for level_id, res_id in pairs if level_id == level.id]
            if not ids:
                continue
            query = self._candidate_query(level, today)
            query.add_where(SQL("%s IN %s", SQL.identifier(query.table, "id"), tuple(ids)))
            due = {row[0] for row in self.env.execute_query(query.select())}
            done += len(ids) - len(due) + self._run_level(level, [rid for rid in ids if rid in due], today)
        return done

    def _run_level(self, level, ids, today):
        """Claim and run ``level`` on the records ``ids``; returns how many ran or were placed."""
        # 'place': history is recorded at the level it reached, without the level's actions.
        backlog = self._backlog_ids(level, ids)
        placed = []
        if backlog:
            placed = self._claim(level, [rid for rid in ids if rid in backlog], state="skipped")
            if placed and hasattr(self.env[self.model_name], "_ctrl_escalation_placed"):
                self.env[self.model_name].sudo().browse(placed)._ctrl_escalation_placed(level)
            ids = [rid for rid in ids if rid not in backlog]
        won = self._claim(level, ids)
        if won:
            records = self.env[self.model_name].browse(won)
            steps = self.env["ctrl.escalation.step"].search([
                ("level_id", "=", level.id), ("res_model", "=", self.model_name), ("res_id", "in", won),
            ])
            self._execute_safely(level, records, steps, today)
        return len(placed) + len(won)

    def _preview(self, level, today, company):
        """What the next run of ``level`` would do for ``company``, without
        doing it: the figures of a go-live preview line. Counted with the
        engine's own candidate query, so the caller makes the company live for
        the time of the count (in a savepoint it rolls back)."""
        self.ensure_one()
        query = self._candidate_query(level, today)
        query.add_where(SQL("%s = %s", self._company_sql(query.table), company.id))
        ids = [row[0] for row in self.env.execute_query(query.select())]
        placed = self._backlog_ids(level, ids)
        records = self.env[self.model_name].sudo().browse([rid for rid in ids if rid not in placed])
        key_of = level._activity_keys(records)
        plan = level._activity_plan(records, key_of, level._open_group_activities(records, key_of)) \
            if level.activity_type_id and records else []
        users = {user.id for _key, _record, user in plan}
        vals = {
            "record_count": len(records), "placed_count": len(placed), "group_count": len(set(key_of.values())),
            "activity_count": len(plan),
            "mail_count": len(level._mail_groups(records)) if level.mail_template_id else 0,
        }
        if records and hasattr(records, "_ctrl_escalation_preview"):
            extra = records._ctrl_escalation_preview(level)
            vals["activity_count"] += extra.pop("activity_count", 0)
            users.update(extra.pop("user_ids", []))
            vals.update(extra)
        vals["user_ids"] = [Command.set(sorted(users))]
        return vals

    def _run_retries(self, limit):
        """Run again the steps a transient error stopped, once their backoff
        passed, for the companies whose internal controls are active (issue
        #24). Each is locked, so two workers never run one twice."""
        main = self.env.ref("base.main_company", raise_if_not_found=False) or self.env.company
        self.env["ctrl.escalation.step"].flush_model(["company_id", "state", "retry_after"])
        live = self.env["res.company"]._ctrl_live_sql(SQL("COALESCE(company_id, %s)", main.id))
        self.env.cr.execute(SQL(
            """SELECT id FROM ctrl_escalation_step
                WHERE ladder_id = %s AND state = 'retry' AND retry_after <= now() at time zone 'utc' AND %s
                ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""", self.id, live, limit))
        steps = self.env["ctrl.escalation.step"].sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for level in steps.level_id:
            level_steps = steps.filtered(lambda s, lv=level: s.level_id == lv)
            self._execute_safely(level, self.env[self.model_name].browse(level_steps.mapped("res_id")).exists(),
                                 level_steps, fields.Date.context_today(self))
        return len(steps)

    def _execute_safely(self, level, records, steps, today):
        """Run a level's actions. A transient error (a concurrent edit, a
        deadlock, a lock timeout) leaves the steps to retry after a backoff;
        after the last try, or on any other error, they are kept as failed
        (visible in the Escalation Log) and the administrators are told."""
        steps = steps.sudo()
        try:
            with self.env.cr.savepoint():
                level._execute(records, steps, today)
        except TRANSIENT_ERRORS as error:
            _logger.warning("Escalation %s / %s met a transient error, retried later: %s", self.name, level.name,
                            error)
            steps._ctrl_retry_later(str(error))
        except Exception as error:
            _logger.exception("Escalation %s / %s failed", self.name, level.name)
            steps._ctrl_fail(str(error))
        else:
            steps.filtered(lambda s: s.state == "retry").write({"state": "done", "message": False})

    @api.model
    def _cron_run(self, codes=None):
        """Scheduled action: one batch over the active ladders, then report
        progress so that ir.cron commits and calls again while work remains."""
        domain = [("code", "in", codes)] if codes else []
        done = remaining = 0
        live = self.env["res.company"]._ctrl_live_companies()
        if not live:
            return done, remaining
        # A company's own ladder waits for its go-live; shared ones filter their records.
        domain += ["|", ("company_id", "=", False), ("company_id", "in", live.ids)]
        for ladder in self.sudo().search(domain):
            # One worker per ladder at a time; the unique key guards the rest.
            self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", 7265, ladder.id))
            if not self.env.cr.fetchone()[0]:
                continue
            try:
                with self.env.cr.savepoint():
                    ladder_done, ladder_remaining = ladder._run_batch()
            except TRANSIENT_ERRORS:
                # Another worker committed steps of this ladder after this call's snapshot: the next call,
                # with a new snapshot, goes on where it stopped.
                ladder_done, ladder_remaining = 0, 1
            done += ladder_done
            remaining += ladder_remaining
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done, remaining

    def _run_all(self, today=None):
        """Run the ladders until nothing is left (tests, wizards, benchmarks)."""
        total = 0
        for ladder in self:
            while True:
                done, remaining = ladder._run_batch(today=today)
                total += done
                if not remaining or not done:
                    break
        return total
