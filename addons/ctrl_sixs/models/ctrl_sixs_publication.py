# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

SIGNER_GROUP = "ctrl_sixs.group_sixs_quality_director"
PUBLISH_WEEKDAY, PUBLISH_HOUR = 5, 8  # Saturday 08:00 (V14, §10 #25)


class CtrlSixsPublication(models.Model):
    """The weekly results on the notice board (V14, §10 #25): published on Saturday
    morning after the quality director signs. computed → signed → published; users see
    a week's rankings once it is published."""

    _name = "ctrl.sixs.publication"
    _description = "6S Weekly Results Publication"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "period_start desc, id desc"

    # Created by the rankings run, signed by the quality director, published on Saturday:
    # nothing of it is written by hand, and it is never deleted.
    _ctrl_draft_states = ()
    _ctrl_protected_fields = ("period_start", "period_end", "date_computed", "signed_by_id", "date_signed",
                              "date_published", "ranking_ids", "company_id")

    name = fields.Char(compute="_compute_name", store=True)
    period_start = fields.Date("Week of", required=True, readonly=True, index=True)
    period_end = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("computed", "Computed"), ("signed", "Signed"), ("published", "Published")],
        default="computed", required=True, readonly=True, tracking=True, index=True)
    date_computed = fields.Datetime("Computed on", readonly=True)
    signed_by_id = fields.Many2one("res.users", "Signed by", readonly=True, tracking=True)
    date_signed = fields.Datetime("Signed on", readonly=True)
    date_published = fields.Datetime("Published on", readonly=True, tracking=True)
    ranking_ids = fields.One2many("ctrl.sixs.ranking", "publication_id", "Rankings", readonly=True)
    ranking_count = fields.Integer(compute="_compute_ranking_count")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)

    _sql_constraints = [
        ("company_week_uniq", "unique(company_id, period_start)", "A company publishes each week once."),
    ]

    @api.depends("period_start")
    def _compute_name(self):
        for publication in self:
            if publication.period_start:
                year, week, _day = publication.period_start.isocalendar()
                publication.name = f"{year}-W{week:02d}"
            else:
                publication.name = False

    def _compute_ranking_count(self):
        counts = dict(self.env["ctrl.sixs.ranking"]._read_group(
            [("publication_id", "in", self.ids)], ["publication_id"], ["__count"]))
        for publication in self:
            publication.ranking_count = counts.get(publication, 0)

    @api.model
    def _ctrl_sixs_for_week(self, week_start, company):
        """The week's publication, created (computed) if need be."""
        publication = self.sudo().search([("company_id", "=", company.id), ("period_start", "=", week_start)])
        return publication or self.sudo().create({
            "company_id": company.id, "period_start": week_start, "period_end": week_start + timedelta(days=6)})

    def _ctrl_sixs_recomputed(self):
        """The rankings were rebuilt: a published week is final; a signed one needs a new signature."""
        for publication in self:
            if publication.state == "published":
                raise UserError(self.env._(
                    "The 6S results of week %(week)s were published on %(date)s: they are final and are not "
                    "computed again.", week=publication.name, date=publication.date_published))
            if publication.state == "signed":
                publication.message_post(body=self.env._(
                    "The rankings were computed again after the signature: the week needs a new signature."))
        self._ctrl_set_state("computed", signed_by_id=False, date_signed=False, date_computed=fields.Datetime.now())

    # ------------------------------------------------------------------
    # Signature and publication
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_signers(self, company):
        users = self.env.ref(SIGNER_GROUP).users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids)
        return users or self.env.ref("ctrl_sixs.group_sixs_manager").users.filtered(
            lambda u: u.active and not u.share and company in u.company_ids)

    def _publish_moment(self):
        """Saturday 08:00 of the week, in the user's time zone, as naive UTC."""
        self.ensure_one()
        tz = pytz.timezone(self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(self.period_start + timedelta(days=PUBLISH_WEEKDAY - self.period_start
                                                                           .weekday()), time(PUBLISH_HOUR)))
        return local.astimezone(pytz.UTC).replace(tzinfo=None)

    def action_sign(self):
        """The quality director signs the week's results (server-checked). After Saturday
        08:00 the week is published at once; before, the Saturday cron publishes it."""
        if not self.env.user.has_group(SIGNER_GROUP) and not self.env.su:
            raise AccessError(self.env._("Only the 6S quality director signs the weekly results."))
        for publication in self:
            if publication.state != "computed":
                raise UserError(self.env._(
                    "Week %(week)s is already %(state)s: only computed results are signed.",
                    week=publication.name, state=publication.state))
            if not publication.ranking_count:
                raise UserError(self.env._(
                    "Week %(week)s has no rankings: compute them before signing.", week=publication.name))
        self._ctrl_set_state("signed", signed_by_id=self.env.uid, date_signed=fields.Datetime.now())
        self.activity_ids.sudo().action_done()
        self.filtered(lambda p: p._publish_moment() <= fields.Datetime.now())._ctrl_sixs_publish()
        return True

    def _ctrl_sixs_publish(self):
        signed = self.filtered(lambda p: p.state == "signed")
        signed._ctrl_set_state("published", date_published=fields.Datetime.now())
        return signed

    def _ctrl_sixs_remind(self):
        """An activity for each signer who has none open on the week yet."""
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for publication in self.filtered(lambda p: p.state == "computed"):
            waiting = publication.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
            for user in self._ctrl_sixs_signers(publication.company_id) - waiting:
                publication.activity_schedule(
                    activity_type_id=activity_type.id, user_id=user.id,
                    summary=self.env._("Sign the 6S results of week %(week)s for Saturday's notice board",
                                       week=publication.name))

    def action_view_rankings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_sixs.ctrl_sixs_ranking_action")
        action["domain"] = [("publication_id", "=", self.id)]
        action["context"] = {"search_default_group_scope": 1}
        return action

    # ------------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_sixs_next_saturday(self, now=None, tz_name=None):
        """Next Saturday 08:00 in ``tz_name`` after ``now`` (naive UTC), as naive UTC."""
        tz = pytz.timezone(tz_name or "UTC")
        local_now = pytz.UTC.localize(now or fields.Datetime.now()).astimezone(tz)
        day = local_now.date() + timedelta(days=(PUBLISH_WEEKDAY - local_now.weekday()) % 7)
        moment = tz.localize(datetime.combine(day, time(PUBLISH_HOUR)))
        if moment <= local_now:
            moment = tz.localize(datetime.combine(day + timedelta(days=7), time(PUBLISH_HOUR)))
        return moment.astimezone(pytz.UTC).replace(tzinfo=None)

    @api.model
    def _ctrl_sixs_schedule_saturday(self):
        """Data hook (install and update): the weekly rankings cron runs on Saturday 08:00
        in its user's time zone; its weekly interval keeps it there."""
        cron = self.env.ref("ctrl_sixs.ir_cron_weekly_rankings", raise_if_not_found=False)
        if cron:
            cron.sudo().write({"nextcall": self._ctrl_sixs_next_saturday(tz_name=cron.user_id.tz),
                               "interval_number": 1, "interval_type": "weeks"})
