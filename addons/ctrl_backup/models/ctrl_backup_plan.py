# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar
import logging
import os
import re
from datetime import date, timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config

from odoo.addons.ctrl_base.models.ctrl_lifecycle_mixin import content_values
from odoo.addons.ctrl_base.tools.i18n import company_lang, load_module_terms

from .ctrl_backup_runner import is_database_name

# What the plan's approval covers. Changing one of these on a submitted or approved plan is allowed but sends
# the plan back to draft (it must be approved again before it runs); the chatter says what changed and who.
APPROVED_FIELDS = (
    "data_class", "data_type", "source_system", "source_path", "source_database", "method", "schedule",
    "medium_type", "copies", "offsite_copy", "retention_days", "keep_forever", "naming_rule", "executor_id",
    "checker_id", "plan_type", "folder", "company_id", "department_id", "active", "offsite_remote_id",
)
MISSED_LADDER = "backup_missed"
BACKUP_STAFF = "ctrl_backup.group_backup_operator"
# The naming rule's placeholders, each with what it matches in a file name; nothing else may follow a %.
NAMING_PLACEHOLDERS = {"plan": None, "date": r"\d{8}-\d{6}", "seq": r"\d{3,}"}
NAMING_TOKEN = re.compile(r"%\((plan|date|seq)\)s|%%")
NAMING_RULE_MAX = 200
FOLDER_MAX = 1000
MIN_RETENTION_DAYS = 30
BACKUP_SUFFIXES = (".dump", ".filestore.tar")
_logger = logging.getLogger(__name__)
RUN_FIELDS = ("run_state", "run_kind", "run_user_id", "run_queued_on", "run_started_on", "run_step", "run_log_id",
              "run_job")
RUN_BUSY = ("queued", "running")
# How often the runs' scheduled action looks again at a job in progress (seconds).
RUN_POLL_SECONDS = 10


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _last_friday(year, month):
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - 4) % 7)


class CtrlBackupPlan(models.Model):
    _name = "ctrl.backup.plan"
    _description = "Backup Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin", "ctrl.escalation.mixin"]
    _order = "name"

    # Set only by the approval (approved_on), the daily check (overdue_since) and the
    # "Configuration changed" button.
    # The run's fields are set only by the Run backup / Restore test buttons and the runs' scheduled action.
    _ctrl_protected_fields = ("approved_on", "overdue_since", "config_changed_on", *RUN_FIELDS)
    _ctrl_content_fields = APPROVED_FIELDS
    _ctrl_approval_kind = "backup_plan"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved")],
        default="draft", required=True, readonly=True, copy=False, tracking=True,
        help="A plan runs and is watched for missed runs only once the department head and the IT head "
        "approved it.",
    )
    approved_on = fields.Datetime(readonly=True, copy=False)
    department_id = fields.Many2one("hr.department", string="Department", tracking=True)
    manager_id = fields.Many2one(
        "res.users", string="Manager", compute="_compute_manager_id", store=True, readonly=False, tracking=True,
        help="Told the next working day when a run is missed or failed (department manager by default).",
    )
    data_class = fields.Selection(
        [("general", "General"), ("important", "Important")], required=True, default="general", tracking=True,
        help="General: shared folders, office documents, e-mail. Important: finance, drawings, contracts, "
        "surveillance, ERP.",
    )
    data_type = fields.Selection(
        [("os", "Operating system"), ("software", "Application software"), ("system_data", "System data"),
         ("app_data", "Application data")],
        default="app_data",
    )
    plan_type = fields.Selection(
        [("manual", "Logged by hand"), ("odoo_db", "This Odoo database")], required=True, default="manual",
    )
    source_system = fields.Char(tracking=True)
    source_path = fields.Char()
    source_database = fields.Char(
        string="Database", tracking=True,
        help="Leave empty to back up this Odoo database. Another database of this server is backed up only when "
        "a backup manager names it here and the plan is approved again.",
    )
    method = fields.Selection(
        [("full", "Full"), ("incremental", "Incremental"), ("differential", "Differential"),
         ("on_demand", "On demand")],
        required=True, default="full", tracking=True,
    )
    schedule = fields.Selection(
        [
            ("3h", "Every 3 hours"), ("daily", "Daily"), ("weekly", "Weekly"), ("month_end", "Month end"),
            ("last_friday", "Last Friday of the month"), ("quarterly", "Quarterly"), ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"), ("on_change", "On configuration change"),
        ],
        required=True, default="daily", tracking=True,
    )
    config_changed_on = fields.Date(
        string="Configuration changed on", tracking=True, copy=False,
        help="For plans run on a configuration change: the run is due the same day.",
    )
    medium_type = fields.Selection(
        [("disk", "Hard disk"), ("optical", "Optical disc"), ("tape", "Tape"), ("usb", "Removable disk"),
         ("nas", "NAS"), ("cloud", "Cloud")],
        default="disk",
    )
    copies = fields.Integer(default=2, help="Number of copies kept.")
    offsite_copy = fields.Boolean(help="One copy is kept off-site.")
    retention_days = fields.Integer(default=30, required=True, tracking=True,
                                    help="Days the backups are kept: at least one month (30 days).")
    keep_forever = fields.Boolean(
        string="Keep permanently", tracking=True,
        help="Never prune this plan's backups (business data kept permanently).",
    )
    naming_rule = fields.Char(
        default="%(plan)s-%(date)s", required=True,
        help="How backup files are named: text with %(plan)s (the plan's name), %(date)s (YYYYmmdd-HHMMSS, "
        "required) and %(seq)s (the run's number).",
    )
    folder = fields.Char(
        tracking=True,
        help="Server folder of its own for this plan's backups, such as /var/backups/odoo. The backup makes it "
        "readable by the Odoo service only.",
    )
    executor_id = fields.Many2one("res.users", required=True, tracking=True, default=lambda self: self.env.user)
    checker_id = fields.Many2one("res.users", required=True, tracking=True)
    log_ids = fields.One2many("ctrl.backup.log", "plan_id")
    last_done = fields.Datetime(compute="_compute_last_done", store=True)
    overdue_since = fields.Date(
        readonly=True, copy=False, index=True,
        help="Set by the daily check when a run is missed or failed; the escalation counts from it.",
    )

    # The latest run of the Run backup / Restore test buttons or of the monthly restore test.
    run_state = fields.Selection(
        [("queued", "Waiting"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        string="Latest run", readonly=True, copy=False,
        help="Waiting: the run starts within a minute. Running: the backup or restore works in the background. "
        "Done or Failed: see its log.")
    run_kind = fields.Selection([("backup", "Backup"), ("restore_test", "Restore test")], string="Run of",
                                readonly=True, copy=False)
    run_user_id = fields.Many2one("res.users", string="Run asked by", readonly=True, copy=False)
    run_queued_on = fields.Datetime(string="Run asked at", readonly=True, copy=False)
    run_started_on = fields.Datetime(string="Run started at", readonly=True, copy=False)
    run_step = fields.Char(string="Run step", readonly=True, copy=False)
    run_log_id = fields.Many2one("ctrl.backup.log", string="Run log", readonly=True, copy=False)
    # What the server keeps of the run's detached job (its files and process); never shown.
    run_job = fields.Json(readonly=True, copy=False, groups="base.group_system")

    _sql_constraints = [
        ("copies_positive", "CHECK(copies >= 1)", "A plan keeps at least one copy: set Copies to 1 or more."),
    ]

    @api.depends("department_id.manager_id.user_id")
    def _compute_manager_id(self):
        for plan in self:
            plan.manager_id = plan.department_id.manager_id.user_id or plan.manager_id

    @api.depends("log_ids.result", "log_ids.end", "log_ids.kind")
    def _compute_last_done(self):
        for plan in self:
            done = plan.log_ids.filtered(lambda log: log.result == "done" and log.kind == "backup" and log.end)
            plan.last_done = max(done.mapped("end")) if done else False

    @api.constrains("executor_id", "checker_id")
    def _check_executor_checker(self):
        for plan in self:
            if plan.executor_id == plan.checker_id:
                raise ValidationError(
                    _("Plan %s: the checker must be someone other than the executor. Pick another Checker.", plan.name)
                )
            for user in plan.executor_id | plan.checker_id:
                if not user.has_group(BACKUP_STAFF):
                    raise ValidationError(_(
                        "Plan %(plan)s: %(user)s is not backup staff. Pick an Executor and a Checker who hold a "
                        "Data Backup role, or ask an administrator to give them one.", plan=plan.name, user=user.name))

    @api.constrains("source_database", "plan_type")
    def _check_source_database(self):
        for plan in self.filtered("source_database"):
            name = plan.source_database
            if not is_database_name(name):
                raise ValidationError(_(
                    "Plan %(plan)s: %(db)s is not a database name. Database takes the plain name of a database "
                    "of this server (letters, digits, '_', '.' and '-', starting with a letter or a digit), or "
                    "stays empty for this Odoo database.", plan=plan.name, db=name))
            if not self.env["ctrl.backup.runner"]._database_exists(name):
                raise ValidationError(_("Plan %(plan)s: there is no database %(db)s on this server. Fix Database, "
                                        "or leave it empty for this Odoo database.", plan=plan.name, db=name))

    @api.constrains("folder")
    def _check_folder_path(self):
        for plan in self.filtered("folder"):
            folder = plan.folder
            parts = [part for part in folder.split("/") if part]
            if (len(folder) > FOLDER_MAX or not folder.startswith("/") or len(parts) < 2
                    or {".", ".."} & set(parts) or "\0" in folder):
                raise ValidationError(_(
                    "Plan %(plan)s: Folder %(folder)s is not a folder of its own. Give the full path of a folder "
                    "at least two levels deep, such as /var/backups/odoo.", plan=plan.name, folder=folder[:100]))

    @api.constrains("retention_days", "schedule", "method")
    def _check_retention(self):
        min_days = {"weekly": 7, "month_end": 28, "last_friday": 28, "quarterly": 90, "half_yearly": 180,
                    "yearly": 365}
        for plan in self:
            # 000/B19-03 「数据至少保存一个月」 (B09-04: permanent is Keep permanently).
            if plan.retention_days < MIN_RETENTION_DAYS:
                raise ValidationError(_("Plan %(plan)s: Retention (days) must be at least %(days)s days (one month).",
                                        plan=plan.name, days=MIN_RETENTION_DAYS))
            needed = min_days.get(plan.schedule, MIN_RETENTION_DAYS)
            if plan.retention_days < needed:
                raise ValidationError(
                    _("Plan %(plan)s: a retention of %(days)s days is shorter than its schedule; "
                      "set Retention to at least %(needed)s days.",
                      plan=plan.name, days=plan.retention_days, needed=needed)
                )
            if plan.method in ("incremental", "differential") and plan.schedule in ("yearly", "on_change"):
                raise ValidationError(
                    _("Plan %s: incremental or differential backups need a regular schedule, not yearly or "
                      "on change. Choose a full backup or a shorter schedule.", plan.name)
                )

    @api.constrains("copies", "offsite_copy")
    def _check_copies(self):
        for plan in self:
            if plan.offsite_copy and plan.copies < 2:
                raise ValidationError(
                    _("Plan %s: an off-site copy needs at least 2 copies (one local, one off-site). "
                      "Set Copies to 2 or more, or untick Off-site copy.", plan.name)
                )

    @api.constrains("naming_rule")
    def _check_naming_rule(self):
        for plan in self:
            rule = plan.naming_rule or ""
            if len(rule) > NAMING_RULE_MAX:
                raise ValidationError(_("Plan %(plan)s: the naming rule is %(len)s characters long; keep it to "
                                        "%(max)s at most, e.g. %%(plan)s-%%(date)s.",
                                        plan=plan.name, len=len(rule), max=NAMING_RULE_MAX))
            # Only the known placeholders, as they are: no width, precision or other conversion.
            if "%" in NAMING_TOKEN.sub("", rule) or "/" in rule or "\0" in rule:
                raise ValidationError(
                    _("Plan %(plan)s: the naming rule %(rule)s is not valid. Use text with %%(plan)s, %%(date)s "
                      "and %%(seq)s only, without /, e.g. %%(plan)s-%%(date)s.", plan=plan.name, rule=rule[:100]))
            if "%(date)s" not in rule:
                raise ValidationError(
                    _("Plan %(plan)s: the naming rule %(rule)s must contain %%(date)s so that each backup is "
                      "named with its date.", plan=plan.name, rule=rule)
                )

    # ------------------------------------------------------------------ backup file names
    def _backup_stem(self):
        """This run's file name without suffix, by the naming rule."""
        self.ensure_one()
        stamp = fields.Datetime.now().strftime("%Y%m%d-%H%M%S")
        seq = "%03d" % (len(self.log_ids.filtered(lambda log: log.kind == "backup")) + 1)
        return (self.naming_rule % {"plan": self.name, "date": stamp, "seq": seq}).replace("/", "_")

    def _backup_file_pattern(self):
        """What the names of this plan's backup files look like, as a regular expression."""
        self.ensure_one()
        matches = dict(NAMING_PLACEHOLDERS, plan=re.escape(self.name.replace("/", "_")))
        parts, last = [], 0
        for token in NAMING_TOKEN.finditer(self.naming_rule):
            parts.append(re.escape(self.naming_rule[last:token.start()].replace("/", "_")))
            parts.append(matches[token.group(1)] if token.group(1) else "%")
            last = token.end()
        parts.append(re.escape(self.naming_rule[last:].replace("/", "_")))
        return re.compile("".join(parts) + "(?:%s)" % "|".join(map(re.escape, BACKUP_SUFFIXES)))

    # ------------------------------------------------------------------ approval
    # Chosen behaviour for plans (unlike the other documents, which refuse the change while submitted):
    # a covered field may change on a submitted or approved plan, but the plan goes back to draft, any
    # pending request is cancelled, and the chatter names the fields and who changed them.
    def _ctrl_check_write(self, vals):
        return super()._ctrl_check_write({key: value for key, value in vals.items() if key not in APPROVED_FIELDS})

    def write(self, vals):
        covered = [name for name in APPROVED_FIELDS if name in vals]
        submitted = self.filtered(lambda plan: not plan._ctrl_is_draft()) if covered else self.browse()
        before = {plan.id: content_values(plan, covered) for plan in submitted}
        result = super().write(vals)
        for plan in submitted:
            after = content_values(plan, covered)
            changed = [name for name in covered if after[name] != before[plan.id][name]]
            if changed:
                plan._ctrl_reopen(changed)
        return result

    def _ctrl_reopen(self, changed):
        """Back to draft after a change of ``changed`` on a submitted or approved plan."""
        self.ensure_one()
        for request in self._ctrl_approval_requests(self._ctrl_approval_kind, ["pending"]):
            request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
            request._finish("cancel", None)
        self._ctrl_set_state("draft", approved_on=False)
        self._message_log(body=_(
            "%(user)s changed %(fields)s: the plan is back to draft and must be approved again before it runs.",
            user=self.env.user.name, fields=self._ctrl_field_label(changed)))

    def action_submit(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_manager"):
            raise AccessError(_("Only a Backup manager can submit a backup plan for approval."))
        for plan in self:
            if plan.state != "draft":
                raise UserError(_("Plan %s is already submitted or approved.", plan.name))
            plan._ctrl_submit(reason=_("Backup plan %(plan)s (%(schedule)s, %(method)s).", plan=plan.name,
                                       schedule=plan.schedule, method=plan.method))
        return True

    def _ctrl_on_approved(self, request):
        self._ctrl_write_protected({"approved_on": fields.Datetime.now()})

    def _check_approved(self):
        for plan in self:
            if plan.state != "approved" or not plan._ctrl_is_approved(plan._ctrl_approval_kind):
                raise UserError(_("Plan %s is not approved yet: submit it for the department head's and the IT "
                                  "head's approval first.", plan.name))

    def action_config_changed(self):
        """Record a configuration change: an on-change plan is due the same day."""
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only backup staff record a configuration change."))
        self._ctrl_write_protected({"config_changed_on": fields.Date.context_today(self)})
        return True

    # ------------------------------------------------------------------ missed runs
    SCHEDULE_HOURS = {"3h": 3, "daily": 24, "weekly": 24 * 7}

    def _last_due_date(self, today):
        """The latest due day of a calendar schedule strictly before ``today`` (one day of grace)."""
        self.ensure_one()
        day = today - timedelta(days=1)
        if self.schedule == "month_end":
            due = _month_end(day)
            return due if due <= day else _month_end(day.replace(day=1) - timedelta(days=1))
        if self.schedule == "last_friday":
            due = _last_friday(day.year, day.month)
            if due > day:
                previous = day.replace(day=1) - timedelta(days=1)
                due = _last_friday(previous.year, previous.month)
            return due
        months = {"quarterly": 3, "half_yearly": 6, "yearly": 12}.get(self.schedule)
        if months:
            # Period ends: the last day of March/June/September/December (quarterly), ...
            candidates = [_month_end(date(year, month, 1)) for year in (day.year - 1, day.year)
                          for month in range(months, 13, months)]
            return max(d for d in candidates if d <= day)
        return None

    def _is_overdue(self, now):
        """True when the plan missed a run, or its latest run failed."""
        self.ensure_one()
        backups = self.log_ids.filtered(lambda log: log.kind == "backup").sorted("start")
        if backups and backups[-1].result == "failed" and (not self.last_done or backups[-1].start > self.last_done):
            return True
        since = self.last_done or self.approved_on or self.create_date
        if self.schedule == "on_change":
            # config_changed_on is a local day: compare it with the local days of ``now`` and the last run.
            changed, today = self.config_changed_on, fields.Date.context_today(self, now)
            done_on = self.last_done and fields.Date.context_today(self, self.last_done)
            return bool(changed) and changed < today and (not done_on or done_on < changed)
        hours = self.SCHEDULE_HOURS.get(self.schedule)
        if hours:
            # One period of grace (at least a day) so a run in progress is not reported as missed.
            return since < now - timedelta(hours=hours + max(hours, 24))
        due = self._last_due_date(now.date())
        # A calendar schedule is met by a run in the week before its due day.
        start = self.approved_on or self.create_date
        return due is not None and start.date() <= due and since.date() < due - timedelta(days=7)

    def _ctrl_escalation_domain(self, ladder):
        """Missed-run escalations wait for a working day of the company's calendar."""
        domain = super()._ctrl_escalation_domain(ladder)
        if ladder.code == MISSED_LADDER:
            calendar_ = (ladder.company_id or self.env.company).resource_calendar_id
            # The day may be given only by the server itself (cron, tests), never by a client's context.
            today = (self.env.su and self.env.context.get("ctrl_escalation_today")) or fields.Date.context_today(self)
            if calendar_ and not calendar_._works_on_date(today):
                domain = domain + [("id", "=", 0)]
        return domain

    @api.model
    def _cron_backup_check(self, batch=500):
        """Flag plans whose run is missed or failed, clear the ones back on track, then run the escalation
        ladder (executor the same day, manager the next working day). Idempotent; batched."""
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        plans = self.search([("state", "=", "approved"), ("company_id.ctrl_live", "=", True)])
        overdue = self.browse()
        for start in range(0, len(plans), batch):
            chunk = plans[start:start + batch]
            late = chunk.filtered(lambda plan: plan._is_overdue(now))
            late.filtered(lambda plan: not plan.overdue_since)._ctrl_write_protected({"overdue_since": today})
            back = chunk.filtered("overdue_since") - late
            if back:
                back._ctrl_write_protected({"overdue_since": False})
                back._ctrl_escalation_reset(MISSED_LADDER)
            overdue |= late
            self.env["ir.cron"]._notify_progress(done=start + len(chunk), remaining=len(plans) - start - len(chunk))
        ladder = self.env["ctrl.escalation.ladder"]._for(MISSED_LADDER)
        if ladder:
            ladder._run_all()
        return overdue


    # ------------------------------------------------------------------ backup and restore test
    # The buttons queue a run and return at once; the scheduled action "run queued backups" starts it as a
    # detached job and, on later calls, records its result (issue 19 item 6).
    def _check_backup_staff(self):
        if not self.env.user.has_group(BACKUP_STAFF):
            raise AccessError(_("Only backup staff run backups and restore tests."))

    def action_run_backup(self):
        """Queue a backup of the plan's database: this Odoo database, or the one its approved plan names."""
        self.ensure_one()
        self._check_backup_staff()
        return self._queue_run("backup")

    def action_restore_test(self):
        """Queue the restore of the plan's latest backup into a scratch database and the comparison of key
        tables' row counts."""
        self.ensure_one()
        self._check_backup_staff()
        return self._queue_run("restore_test")

    def _restorable_backups(self):
        """The plan's own finished backups whose dump is still there to restore."""
        self.ensure_one()
        return self.log_ids.filtered(lambda log: log.kind == "backup" and log.result == "done" and log.by_runner
                                     and not log.pruned and log.path)

    def _check_runnable(self, kind):
        """What a run needs before it is queued and again when it starts; raises UserError naming the fix."""
        self.ensure_one()
        if kind == "restore_test":
            if not self._restorable_backups():
                raise UserError(_("Plan %s has no finished backup to restore.", self.name))
            return
        runner = self.env["ctrl.backup.runner"]
        if self.plan_type != "odoo_db":
            raise UserError(_("Plan %s is logged by hand: only plans of type 'This Odoo database' run here.",
                              self.name))
        self._check_approved()
        runner._prepare_folder(self, runner._db_size(runner._source_database(self)))

    def _queue_run(self, kind):
        """Queue the run for the scheduled action and tell the user, without waiting for it."""
        if self.run_state in RUN_BUSY:
            return self._notification(_("A run of plan %s is already waiting or in progress; its progress shows "
                                        "on the plan.", self.name), "warning")
        self._check_runnable(kind)
        self._ctrl_write_protected(self._queued_run_values(kind))
        self.env.ref("ctrl_backup.ir_cron_backup_runs")._trigger()
        if kind == "backup":
            message = _("The backup of plan %s runs in the background: you can keep working. Its progress and "
                        "result show on the plan.", self.name)
        else:
            message = _("The restore test of plan %s runs in the background: you can keep working. Its progress "
                        "and result show on the plan.", self.name)
        return self._notification(message, "info")

    def _queued_run_values(self, kind):
        return {
            "run_state": "queued", "run_kind": kind, "run_user_id": self.env.uid,
            "run_queued_on": fields.Datetime.now(), "run_started_on": False, "run_step": _("Waiting for its turn."),
            "run_log_id": False, "run_job": False,
        }

    def _notification(self, message, kind):
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"message": message, "type": kind, "sticky": False,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    @api.model
    def _cron_run_queued(self, batch=20):
        """Scheduled action: start the queued runs and finish the runs whose job is over. Each plan is taken
        with its row locked (SKIP LOCKED), so two workers never handle one plan at once; each call is short, as
        the dumps and restores run in their own processes. Calls itself back while a job runs."""
        self.flush_model(["run_state", "run_queued_on"])
        self.env.cr.execute(
            "SELECT id FROM ctrl_backup_plan WHERE run_state IN %s ORDER BY run_queued_on, id "
            "FOR UPDATE SKIP LOCKED LIMIT %s", (RUN_BUSY, batch))
        plans = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        plans.invalidate_recordset()
        for plan in plans:
            try:
                with self.env.cr.savepoint():
                    plan._advance_run()
            except Exception as err:  # one plan's trouble neither undoes nor blocks the others' progress
                _logger.exception("Backup run of plan %s", plan.id)
                plan._ctrl_write_protected({"run_state": "failed", "run_job": False,
                                            "run_step": _("The run failed: %s", err)})
                plan._run_failed(plan.run_step)
        running = self.search_count([("run_state", "in", RUN_BUSY)])
        left = self.search_count([("run_state", "=", "queued")])
        self.env["ir.cron"]._notify_progress(done=len(plans), remaining=left)
        if running:
            self.env.ref("ctrl_backup.ir_cron_backup_runs")._trigger(
                fields.Datetime.now() + timedelta(seconds=RUN_POLL_SECONDS))
        return plans

    def _advance_run(self):
        """One step of the plan's run: start it when queued, record its result when its job is over."""
        self.ensure_one()
        if self.run_state == "queued":
            self._start_run()
        elif self.run_state == "running":
            job = self.run_job or {}
            runner = self.env["ctrl.backup.runner"]
            status = runner._job_status(job) if job else {"state": "failed", "error": "lost"}
            hours = self._max_run_hours()
            if status["state"] == "running" and self.run_started_on and \
                    fields.Datetime.now() - self.run_started_on > timedelta(hours=hours):
                runner._stop_job(job)
                status = {"state": "failed", "error": "timeout", "hours": hours}
            if status["state"] != "running":
                self._finish_run(job, status)

    def _max_run_hours(self):
        """The company's longest run (Settings), 12 hours unless set; a stored value below 1 counts as 12."""
        value = self.env["ir.config_parameter"].sudo().get_param("ctrl_backup.max_run_hours", "12")
        hours = int(value) if str(value).isdigit() else 0
        return hours if hours > 0 else 12

    def action_cancel_run(self):
        """Cancel the plan's waiting or running run (backup managers only): its job and what it started are
        stopped, its temporary files removed, and the run fails as cancelled."""
        self.ensure_one()
        if not self.env.user.has_group("ctrl_backup.group_backup_manager"):
            raise AccessError(_("Only backup managers cancel a run."))
        plan = self.sudo()
        plan.env.cr.execute("SELECT id FROM ctrl_backup_plan WHERE id = %s FOR UPDATE", (plan.id,))
        plan.invalidate_recordset()
        if plan.run_state not in RUN_BUSY:
            return self._notification(_("The run of plan %s is already over.", plan.name), "warning")
        status = {"state": "failed", "error": "cancelled", "user": self.env.user.name}
        if plan.run_state == "queued":
            plan._ctrl_write_protected({"run_state": "failed", "run_step": _(
                "Failed: %s", self.env["ctrl.backup.runner"]._job_error(status))})
        else:
            job = plan.run_job or {}
            if job:
                self.env["ctrl.backup.runner"]._stop_job(job)
            plan._finish_run(job, status)
        return self._notification(_("The run of plan %s is cancelled.", plan.name), "info")

    def _start_run(self):
        user = self.run_user_id or self.env.user
        tool = self.env["ctrl.backup.runner"] if self.run_kind == "backup" else self.env["ctrl.backup.restore.test"]
        try:
            with self.env.cr.savepoint():  # both check the plan again, as it is now
                log, job = (tool._start_backup if self.run_kind == "backup" else tool._start)(self, user)
        except (UserError, OSError) as err:  # refused, or the job could not be started: failed, not retried
            reason = err.args[0] if isinstance(err, UserError) else _("the run could not start: %s", err)
            self._ctrl_write_protected({"run_state": "failed", "run_step": reason})
            self._run_failed(reason)
            return
        step = _("Writing the backup.") if self.run_kind == "backup" else _("Restoring the backup into a scratch "
                                                                              "database.")
        self._ctrl_write_protected({"run_state": "running", "run_started_on": fields.Datetime.now(),
                                    "run_step": step, "run_log_id": log.id, "run_job": job})

    def _finish_run(self, job, status):
        job = job or {}
        runner = self.env["ctrl.backup.runner"]
        log = self.run_log_id
        next_job = None
        if log and job.get("kind") == "offsite":
            runner._finish_offsite(self, job, status)
        elif log and self.run_kind == "backup":
            next_job = runner._finish_backup(self, log, job, status)[1]
        elif log:
            self.env["ctrl.backup.restore.test"]._finish(self, log, job, status)
        if job:
            runner._forget_job(job)
        if next_job:
            self._ctrl_write_protected({"run_job": next_job, "run_step": _("Sending the off-site copy.")})
            return
        done = log.result == "done"
        self._ctrl_write_protected({"run_state": "done" if done else "failed", "run_job": False,
                                    "run_step": _("Finished.") if done else (log.note or _("Failed."))})
        if not done:
            self._run_failed(self.run_step)

    def _run_failed(self, reason):
        """A failed run: the plan is overdue from today (the daily check's escalation goes on from there), and
        its executor and the IT heads get an activity at once (seed 000 S10)."""
        if not self.overdue_since and self.run_kind == "backup":
            self._ctrl_write_protected({"overdue_since": fields.Date.context_today(self)})
        heads = self.env.ref("ctrl_base.group_approver_it_head").users.filtered(lambda u: u.active and not u.share)
        what = _("Backup failed") if self.run_kind == "backup" else _("Restore test failed")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"]._ctrl_create_batch([{
            "res_model_id": model_id, "res_id": self.id, "user_id": user.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": "%s: %s" % (what, self.name), "note": Markup("<p>%s</p>") % reason,
        } for user in (self.executor_id | heads)])

    @api.model
    def _cron_restore_test(self):
        """Monthly restore test of every approved plan of this Odoo database (seed 000 S09 B09-09): queued for
        the runs' scheduled action, like the button."""
        plans = self.search([("state", "=", "approved"), ("plan_type", "=", "odoo_db"),
                             ("company_id.ctrl_live", "=", True), ("run_state", "not in", RUN_BUSY)])
        plans = plans.filtered(lambda plan: plan._restorable_backups())
        for plan in plans:
            plan._ctrl_write_protected(plan._queued_run_values("restore_test"))
        if plans:
            self.env.ref("ctrl_backup.ir_cron_backup_runs")._trigger()
        return plans

    # ------------------------------------------------------------------ demo data
    @api.model
    def _ctrl_backup_demo_story(self, plan_xmlid, media_xmlid):
        """Demo data (demo/ctrl_backup_demo.xml): the plan backs up this Odoo database into a folder of the
        server's data directory, submitted by the administrator and approved by the demo department head and
        IT head, so that Run backup makes real backups (setup/run presses it once as the demo operator); the
        medium's inspection due today. Done once: a later update keeps what users did."""
        self = self.with_context(lang=company_lang(self.env.ref("base.main_company")))  # as its users write
        plan = self.env.ref(plan_xmlid)
        if plan.state != "draft" or plan._ctrl_approval_requests(plan._ctrl_approval_kind):
            return
        load_module_terms(self.env, "ctrl_backup")
        admin = self.env.ref("base.user_admin")
        folder = os.path.join(config["data_dir"], "backups", self.env.cr.dbname)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        plan.with_user(admin).write({"plan_type": "odoo_db", "folder": folder})
        plan.with_user(admin).action_submit()
        for login in ("dept_head", "it_head"):
            approver = self.env.ref(f"ctrl_base.demo_user_{login}")
            plan._ctrl_approval_requests(plan._ctrl_approval_kind, ["pending"]).with_user(approver).action_approve()
        media = self.env.ref(media_xmlid)
        media.ctrl_inspection_id.sudo().schedule_date = fields.Datetime.now()
