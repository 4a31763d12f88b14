# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, file_open

from odoo.addons.ctrl_base.tools.i18n import company_lang, load_module_terms

from .ctrl_sixs_plan import TIERS

_logger = logging.getLogger(__name__)
CRON_LOCK = 7267  # advisory lock key: 7265 ladders, 7266 statistics (ctrl_base), 7313 suspensions


class CtrlSixsAudit(models.Model):
    """One audit of one area: draft → done (inspector) → confirmed (audited party on
    site) → published (manager). Publishing scores the findings into the ledger."""

    _name = "ctrl.sixs.audit"
    _description = "6S Audit"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin", "ctrl.lifecycle.mixin"]
    _order = "scheduled_date desc, id desc"

    _ctrl_sequence_code = "ctrl.sixs.audit"
    # The inspector answers while the audit is a draft; sign-off, confirmation and
    # publication are the buttons below, and the scores are the scoring's alone.
    _ctrl_draft_states = ("draft",)
    _ctrl_protected_fields = ("name", "date_done", "confirmed_by_id", "date_confirmed", "published_by_id",
                              "date_published", "finding_count", "unanswered_count", "total_points")
    _ctrl_content_fields = ("area_id", "plan_id", "tier", "scheduled_date", "slot", "inspector_id",
                            "inspector_employee_ids", "line_ids", "company_id")

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    area_id = fields.Many2one("ctrl.sixs.area", required=True, index=True, tracking=True, ondelete="restrict")
    plan_id = fields.Many2one("ctrl.sixs.plan", index=True, ondelete="set null")
    tier = fields.Selection(TIERS, required=True, default="self_check", tracking=True)
    scheduled_date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    slot = fields.Integer(default=1, help="Audit number on that day (warehouse: 1-3).")
    date_done = fields.Datetime("Done on", readonly=True, copy=False)
    inspector_id = fields.Many2one("res.users", "Inspector", tracking=True, default=lambda self: self.env.user)
    inspector_employee_ids = fields.Many2many("hr.employee", string="Inspector team")
    confirmed_by_id = fields.Many2one("res.users", "Confirmed on site by", readonly=True, copy=False, tracking=True)
    date_confirmed = fields.Datetime(readonly=True, copy=False)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_published = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done"), ("confirmed", "Confirmed"), ("published", "Published")],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False)
    line_ids = fields.One2many("ctrl.sixs.audit.line", "audit_id", "Check items", copy=True)
    action_ids = fields.One2many("ctrl.sixs.action", "audit_id", "Corrective actions")
    finding_count = fields.Integer(compute="_compute_totals", store=True)
    unanswered_count = fields.Integer(compute="_compute_totals", store=True)
    total_points = fields.Float("Points lost", compute="_compute_totals", store=True)
    responsible_user_id = fields.Many2one(related="area_id.responsible_user_id")
    process_area_id = fields.Many2one(related="area_id.process_area_id", store=True)
    department_area_id = fields.Many2one(related="area_id.department_area_id", store=True)
    note = fields.Html()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    _sql_constraints = [
        ("plan_slot_uniq", "unique(plan_id, area_id, scheduled_date, slot)",
         "A plan schedules one audit per area, day and slot."),
    ]

    @api.depends("line_ids.result", "line_ids.points", "line_ids.deduction", "line_ids.count")
    def _compute_totals(self):
        for audit in self:
            findings = audit.line_ids.filtered(lambda line: line.result == "nok")
            audit.finding_count = len(findings)
            audit.unanswered_count = len(audit.line_ids.filtered(lambda line: not line.result))
            audit.total_points = sum(findings.mapped("points")) if audit.state == "published" else sum(
                line.deduction * line.count for line in findings)

    @api.model_create_multi
    def create(self, vals_list):
        is_inspector = self.env.su or self.env.user.has_group("ctrl_sixs.group_sixs_inspector")
        for vals in vals_list:
            if not is_inspector and vals.get("tier", "self_check") != "self_check":
                raise AccessError(self.env._("Only 6S inspectors create inspections; you may record self-checks."))
        audits = super().create(vals_list)
        # Every audit covers its area's whole checklist, whatever the client sent.
        audits._fill_lines()
        return audits

    def write(self, vals):
        if not self.env.su and set(vals) & set(self._ctrl_content_fields):
            if vals.get("tier", "self_check") != "self_check" and not self.env.user.has_group(
                    "ctrl_sixs.group_sixs_inspector"):
                raise AccessError(self.env._("Only 6S inspectors create inspections; you may record self-checks."))
            self._ctrl_sixs_check_answerer()
        return super().write(vals)

    def _ctrl_sixs_check_answerer(self):
        """Only 6S inspectors answer an inspection; the audited party answers its self-checks."""
        if self.env.su or self.env.user.has_group("ctrl_sixs.group_sixs_inspector"):
            return
        for audit in self.filtered(lambda a: a.tier != "self_check"):
            raise AccessError(self.env._(
                "Only 6S inspectors answer inspection %(audit)s; the audited party confirms it once signed off.",
                audit=audit.name))

    def _fill_lines(self):
        """Add a line for each check item of the area that the audit lacks."""
        lines = []
        for audit in self:
            present = audit.line_ids.item_id
            items = audit.area_id._ctrl_sixs_items(audit.plan_id.template_id) - present
            lines += [{"audit_id": audit.id, "item_id": item.id, "deduction": item.deduction} for item in items]
        return self.env["ctrl.sixs.audit.line"].create(lines)

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, states):
        for audit in self:
            if audit.state not in states:
                raise UserError(self.env._("Audit %(audit)s is %(state)s; this step needs it %(needed)s.",
                                           audit=audit.name, state=audit.state, needed=" / ".join(states)))

    def action_done(self):
        """The inspector's sign-off. Findings become corrective actions."""
        self._check_state(("draft",))
        is_inspector = self.env.su or self.env.user.has_group("ctrl_sixs.group_sixs_inspector")
        for audit in self:
            if audit.tier != "self_check" and not is_inspector:
                raise AccessError(self.env._("Only a 6S inspector signs off inspection %(audit)s.",
                                             audit=audit.name))
        self.check_access("write")
        self._fill_lines()
        for audit in self:
            missing = audit.line_ids.filtered(lambda line: not line.result)
            if missing:
                raise UserError(self.env._(
                    "Audit %(audit)s cannot be signed off: %(count)s of %(total)s check items have no result "
                    "(%(items)s). Answer each one OK or Not OK, or N/A with the reason it does not apply.",
                    audit=audit.name, count=len(missing), total=len(audit.line_ids),
                    items=", ".join(missing[:5].item_id.mapped("display_name"))))
        for audit in self:
            audit._ctrl_set_state("done", date_done=fields.Datetime.now(),
                                  inspector_id=(audit.inspector_id or self.env.user).id)
        self.line_ids.filtered(lambda line: line.result == "nok")._create_actions()
        return True

    def action_confirm(self):
        """Confirmation on site by the audited party (process leader, duty officer)."""
        self._check_state(("done",))
        self.check_access("write")
        self._ctrl_set_state("confirmed", confirmed_by_id=self.env.uid, date_confirmed=fields.Datetime.now())
        return True

    def action_publish(self):
        """Publication (managers): every item answered, then the findings are scored."""
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_manager"):
            raise AccessError(self.env._("Only 6S managers publish audits."))
        self._check_state(("confirmed",))
        for audit in self:
            missing = audit.line_ids.filtered(lambda line: not line.result)
            if missing:
                raise UserError(self.env._(
                    "Audit %(audit)s cannot be published: %(count)s check items have no result "
                    "(%(items)s). Answer each one OK, Not OK or N/A first.",
                    audit=audit.name, count=len(missing),
                    items=", ".join(missing[:5].item_id.mapped("display_name"))))
        self._ctrl_set_state("published", published_by_id=self.env.uid, date_published=fields.Datetime.now())
        self.sudo()._ctrl_sixs_score()
        return True

    def action_reset_draft(self):
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_manager"):
            raise AccessError(self.env._("Only 6S managers reopen audits."))
        self._check_state(("done", "confirmed"))
        self._ctrl_set_state("draft", date_done=False, confirmed_by_id=False, date_confirmed=False)
        return True

    def action_print_bulletin(self):
        return self.env.ref("ctrl_sixs.action_report_bulletin").report_action(self)

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    def _ctrl_sixs_score(self):
        """Price the findings of these (just published) audits and write the ledger.

        Repeat offences are numbered in one SQL statement: earlier findings of the
        same employee on the same item within the repeat window, in published audits."""
        lines = self.line_ids.filtered(lambda line: line.result == "nok")
        if not lines:
            return
        self.env["ctrl.sixs.audit.line"].flush_model()
        self.env["ctrl.sixs.audit"].flush_model(["state"])
        company = self.company_id[:1] or self.env.company
        self.env.cr.execute(SQL(
            """UPDATE ctrl_sixs_audit_line l
                  SET repeat_number = (
                      SELECT count(*) FROM ctrl_sixs_audit_line p
                        JOIN ctrl_sixs_audit pa ON pa.id = p.audit_id AND pa.state = 'published'
                       WHERE p.employee_id = l.employee_id AND p.item_id = l.item_id AND p.result = 'nok'
                         AND p.date > l.date - %(days)s AND (p.date, p.id) < (l.date, l.id))
                WHERE l.id = ANY(%(ids)s) AND l.employee_id IS NOT NULL""",
            days=company.ctrl_sixs_repeat_days, ids=lines.ids))
        lines.invalidate_recordset(["repeat_number"])
        ladder = company._ctrl_sixs_ladder("ctrl_sixs_repeat_ladder")
        duty = self.env["ctrl.sixs.rota"]._duty_map(lines)
        Point = self.env["ctrl.sixs.point"]
        point_vals = []
        for line in lines:
            points = line._ctrl_sixs_finding_points(ladder)
            is_duty = (line.area_id.id, line.date, line.employee_id.id) in duty
            if is_duty:
                points *= company.ctrl_sixs_duty_own_factor
            line.write({"points": points, "duty_officer": is_duty})
            point_vals.append(line._point_vals(-points))
            if line.repeat_number >= len(ladder):
                line._escalate_repeat()
        Point.create(point_vals)

    # ------------------------------------------------------------------
    # Scheduled generation
    # ------------------------------------------------------------------
    @api.model
    def _cron_generate_audits(self, date_to=None, batch=None):
        """Create the audits the active plans schedule up to ``date_to`` (today).

        Idempotent: one worker at a time (advisory lock), and each (plan, area, day, slot)
        is inserted with ON CONFLICT DO NOTHING on the unique key, so reruns and
        overlapping runs never duplicate. Batched by plans; progress goes to ir.cron."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, 0)", CRON_LOCK))
        if not self.env.cr.fetchone()[0]:
            return 0, 0
        date_to = date_to or fields.Date.context_today(self)
        Plan = self.env["ctrl.sixs.plan"].sudo()
        domain = [("active", "=", True), ("company_id.ctrl_live", "=", True),
                  "|", ("next_date", "=", False), ("next_date", "<=", date_to)]
        batch = batch or self.env.company.ctrl_sixs_batch_size or 200
        plans = Plan.search(domain, limit=batch, order="id")
        created = self.browse()
        for plan in plans:
            keys = plan._due_keys(date_to)
            created |= self._insert_keys(plan, keys)
            plan.next_date = date_to + timedelta(days=1)
        remaining = Plan.search_count(domain)
        if created:
            for audit in created:
                audit.with_company(audit.company_id)._fill_lines()
            for plan in plans:
                mine = created.filtered(lambda a, p=plan: a.plan_id == p)
                if mine:
                    mine.write({"inspector_id": plan.inspector_user_ids[:1].id,
                                "inspector_employee_ids": [fields.Command.set(plan.inspector_employee_ids.ids)]})
        self.env["ir.cron"]._notify_progress(done=len(plans), remaining=remaining)
        return len(created), remaining

    def _insert_keys(self, plan, keys):
        if not keys:
            return self.browse()
        rows = [(plan_id, area_id, day, slot) for plan_id, area_id, day, slot in keys]
        self.env.cr.execute(SQL(
            """INSERT INTO ctrl_sixs_audit (name, plan_id, area_id, scheduled_date, slot, tier, state, company_id,
                                            process_area_id, department_area_id,
                                            create_uid, create_date, write_uid, write_date)
               SELECT '/', k.plan_id, k.area_id, k.day, k.slot, %(tier)s, 'draft', a.company_id,
                      a.process_area_id, a.department_area_id,
                      %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                 FROM unnest(%(plans)s::int[], %(areas)s::int[], %(days)s::date[], %(slots)s::int[])
                      AS k(plan_id, area_id, day, slot)
                 JOIN ctrl_sixs_area a ON a.id = k.area_id
               ON CONFLICT (plan_id, area_id, scheduled_date, slot) DO NOTHING
               RETURNING id""",
            tier=plan.tier, uid=self.env.uid,
            plans=[r[0] for r in rows], areas=[r[1] for r in rows], days=[r[2] for r in rows],
            slots=[r[3] for r in rows]))
        audits = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Named from the same sequence as create() (the insert bypassed it).
        Sequence = self.env["ir.sequence"]
        for audit in audits:
            audit._ctrl_write_protected({"name": Sequence.with_company(audit.company_id).next_by_code(
                self._ctrl_sequence_code) or "/"})
        return audits

    def _ctrl_escalation_overdue(self, level):
        """Ladder callback: the audit is still draft after its day."""
        for audit in self:
            audit.message_post(body=Markup("%s") % self.env._(
                "Audit %(audit)s of %(area)s is overdue (scheduled %(date)s).",
                audit=audit.name, area=audit.area_id.display_name, date=audit.scheduled_date))

    @api.model
    def _ctrl_sixs_demo_month(self, plan_xmlid, started_yesterday_xmlids=()):
        """Demo data: the previous calendar month and this month up to yesterday of audits of a plan,
        answered, signed off and published; each past week's rankings signed by the quality director (so
        published), the month's rankings; the plans of ``started_yesterday_xmlids`` started yesterday, so
        that today's audits are waiting. Deterministic (no random); done once (a later update keeps it)."""
        self = self.with_context(lang=company_lang(self.env.ref("base.main_company")))  # as its users write
        plan = self.env.ref(plan_xmlid)
        if plan.audit_ids:
            return
        load_module_terms(self.env, "ctrl_sixs")
        today = fields.Date.context_today(self)
        month_start = today.replace(day=1)
        previous_month = month_start - relativedelta(months=1)
        plan.write({"date_start": previous_month, "next_date": False})
        others = self.env["ctrl.sixs.plan"].browse([self.env.ref(xmlid).id for xmlid in started_yesterday_xmlids])
        others.write({"date_start": today - timedelta(days=1), "next_date": False})
        self._cron_generate_audits(date_to=today - timedelta(days=1))
        audits = self.search([("plan_id", "=", plan.id), ("state", "=", "draft")], order="scheduled_date, id")
        self._ctrl_sixs_demo_answer(audits)
        Ranking = self.env["ctrl.sixs.ranking"]
        week_start = previous_month - timedelta(days=previous_month.weekday())
        while week_start + timedelta(days=6) < today:
            Ranking._compute_rankings(week_start, week_start + timedelta(days=6), "week")
            week_start += timedelta(days=7)
        director = self.env.ref("ctrl_base.demo_user_6s_quality_director", raise_if_not_found=False)
        weeks = self.env["ctrl.sixs.publication"].search([("state", "=", "computed")]).filtered("ranking_count")
        (weeks.with_user(director) if director else weeks.sudo()).action_sign()
        Ranking._compute_rankings(previous_month, month_start - timedelta(days=1))
        Ranking._compute_rankings(month_start, month_start + relativedelta(months=1, days=-1))
        # Today's audits of every plan, for the inspector's "To do".
        self._cron_generate_audits(date_to=today)

    @api.model
    def _ctrl_sixs_demo_answer(self, audits):
        with file_open("ctrl_sixs/static/img/demo_finding.png", "rb") as image:
            photo = base64.b64encode(image.read())
        for index, audit in enumerate(audits):
            team = audit.area_id.employee_ids | audit.area_id.parent_id.employee_ids
            for number, line in enumerate(audit.line_ids):
                if (index * 7 + number * 3) % 23 == 0 and team:
                    line.write({"result": "nok", "employee_id": team[(index + number) % len(team)].id,
                                "note": self.env._("Demo finding"), "photo": photo})
                else:
                    line.write({"result": "na", "na_reason": self.env._("Demo: not used in this area")}
                               if number % 11 == 10 else {"result": "ok"})
            audit.action_done()
            audit.action_confirm()
            audit.action_publish()
