# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.i18n import company_lang, installed_langs

CALLBACK_PREFIX = "_ctrl_escalation_"


class CtrlEscalationLevel(models.Model):
    """One rung of a ladder: after ``days``, schedule an activity for a role,
    queue a mail template, and/or call a model method on the batch."""

    _name = "ctrl.escalation.level"
    _description = "Escalation Level"
    _order = "ladder_id, days, sequence, id"

    ladder_id = fields.Many2one("ctrl.escalation.ladder", required=True, ondelete="cascade", index=True)
    model_name = fields.Char(related="ladder_id.model_name")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        required=True,
        help="Days after the reference date at which this level fires (negative: before it).",
    )
    activity_type_id = fields.Many2one("mail.activity.type", help="Schedule this activity on the record.")
    activity_summary = fields.Char(translate=True)
    activity_deadline_days = fields.Integer("Activity deadline (days)", default=1)
    responsible_type = fields.Selection(
        [("field", "User in a field of the record"), ("group", "Members of a group")],
        default="field",
    )
    responsible_field = fields.Char(
        help="Path to the responsible user on the record, e.g. 'invoice_user_id'.",
    )
    responsible_group_id = fields.Many2one("res.groups", help="Each member gets the activity.")
    activity_group_field = fields.Char(
        "One activity per",
        help="Field of the record, e.g. 'commercial_partner_id': records with the same value share one "
        "activity at this level (one call per customer, not per invoice). Empty: one per record.",
    )
    mail_template_id = fields.Many2one(
        "mail.template", domain="[('model', '=', model_name)]",
        help="Queued (not sent inline) to the record's recipients.",
    )
    mail_per_group = fields.Boolean(
        "One mail per group",
        help="With 'One activity per' set: records of the same group that reach this level together get one mail "
        "(one reminder per customer listing its invoices, not one per invoice), rendered on the group's first "
        "record; the template lists the group.",
    )
    callback = fields.Char(
        help=f"Method of the record's model called on the batch with the level, "
        f"named {CALLBACK_PREFIX}*.",
    )
    note = fields.Html(translate=True)

    def _rank(self):
        return (self.days, self.sequence, self.id)

    @api.constrains("callback", "ladder_id")
    def _check_callback(self):
        for level in self.filtered("callback"):
            model = self.env[level.ladder_id.model_name]
            if not level.callback.startswith(CALLBACK_PREFIX) or not hasattr(model, level.callback):
                raise ValidationError(
                    _("Level %(level)s: callback %(cb)s must be a method of %(model)s "
                      "whose name starts with %(prefix)s.",
                      level=level.name, cb=level.callback, model=model._name, prefix=CALLBACK_PREFIX)
                )

    @api.constrains("days", "ladder_id")
    def _check_increasing_days(self):
        for ladder in self.ladder_id:
            days = ladder.level_ids.mapped("days")
            if len(days) != len(set(days)):
                raise ValidationError(
                    _("Ladder %(ladder)s: each level needs its own number of days; "
                      "the thresholds must strictly increase.", ladder=ladder.name)
                )

    @api.constrains("responsible_type", "responsible_field", "responsible_group_id", "activity_type_id")
    def _check_responsible(self):
        for level in self.filtered("activity_type_id"):
            if level.responsible_type == "group" and not level.responsible_group_id:
                raise ValidationError(_("Level %(level)s: choose the group whose members get the activity.",
                                        level=level.name))
            if level.responsible_type == "field":
                model = self.env[level.ladder_id.model_name]
                path = level.responsible_field or ""
                target = self.env["ctrl.approval.rule.step"]._path_comodel(model, path) if path else None
                if target != "res.users":
                    raise ValidationError(
                        _("Level %(level)s: the responsible field %(field)s must lead to a "
                          "user (res.users) on %(model)s.", level=level.name, field=path, model=model._name)
                    )

    @api.constrains("mail_per_group", "activity_group_field", "mail_template_id")
    def _check_mail_per_group(self):
        for level in self.filtered("mail_per_group"):
            if not (level.activity_group_field and level.mail_template_id):
                raise ValidationError(_(
                    "Level %(level)s: 'One mail per group' needs a mail template and 'One activity per' (the field "
                    "that groups the records, e.g. the customer). Set both, or clear 'One mail per group'.",
                    level=level.name))

    @api.constrains("activity_group_field", "ladder_id")
    def _check_activity_group_field(self):
        for level in self.filtered("activity_group_field"):
            field = self.env[level.ladder_id.model_name]._fields.get(level.activity_group_field)
            if not field or not field.store or field.type != "many2one":
                raise ValidationError(
                    _("Level %(level)s: 'One activity per' must be a stored many2one field of %(model)s, "
                      "e.g. commercial_partner_id.", level=level.name, model=level.ladder_id.model_name))

    # ------------------------------------------------------------------
    def _responsibles(self, record):
        self.ensure_one()
        if self.responsible_type == "group":
            users = self.responsible_group_id.users
        else:
            users = record.mapped(self.responsible_field)
        users = users.filtered(lambda u: u.active)
        return users or self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user

    def _execute(self, records, steps, today):
        """Run this level's actions on ``records`` (already claimed in ``steps``).
        What is written once for every reader (the chatter line, the callbacks'
        messages) is in the company's language, the ladder's and the level's names
        included; each activity is in its assignee's language."""
        self.ensure_one()
        company = self.ladder_id.company_id
        if not company and "company_id" in records._fields:
            company = records.company_id[:1]
        lang = company_lang(company or self.env.company)
        level = self.with_context(lang=lang)
        records = records.with_context(lang=lang).sudo()
        if level.activity_type_id:
            level._create_activities(records, steps, today)
        if level.mail_template_id:
            level._queue_mails(records)
        if level.callback:
            getattr(records, level.callback)(level)
        if hasattr(records, "_ctrl_log_many"):
            records._ctrl_log_many(Markup("%s") % level.env._(
                "Escalation: %(ladder)s reached level '%(level)s' (%(days)s days).",
                ladder=level.ladder_id.name, level=level.name, days=level.days))

    def _mail_groups(self, records):
        """The records each mail of this level covers: one group per value of 'One activity per' when the level
        sends one mail per group, else each record alone."""
        if not (self.mail_per_group and self.activity_group_field):
            return list(records.sorted("id"))
        key_of = self._activity_keys(records)
        groups = {}
        for record in records.sorted("id"):
            groups.setdefault(key_of[record.id], []).append(record.id)
        return [records.browse(ids) for ids in groups.values()]

    def _queue_mails(self, records):
        """Queue the level's mail (never sent inline) in one batch: one per group of ``_mail_groups``, rendered on
        the group's first record; the groups of several records are in the context (ctrl_escalation_groups:
        ((first id, (ids...)), ...)) for the template to list."""
        groups = self._mail_groups(records)
        shared = tuple((group[0].id, tuple(group.ids)) for group in groups if len(group) > 1)
        template = self.mail_template_id
        if shared:
            template = template.with_context(ctrl_escalation_groups=shared)
        template._ctrl_queue_many([group[0].id for group in groups])

    def _create_activities(self, records, steps, today):
        deadline = today + timedelta(days=self.activity_deadline_days)
        model_id = self.env["ir.model"]._get_id(records._name)
        key_of = self._activity_keys(records)
        by_key = self._open_group_activities(records, key_of)
        plan = self._activity_plan(records, key_of, by_key)
        # Each activity in its assignee's language.
        langs = installed_langs(self.env)
        levels = {lang: self.with_context(lang=lang) for lang in langs}
        vals_list = []
        for _key, record, user in plan:
            level = levels.get(user.lang, self)
            vals_list.append({
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": self.activity_type_id.id,
                "summary": level.activity_summary or level.name,
                "note": level.note,
                "user_id": user.id,
                "date_deadline": deadline,
            })
        activities = self.env["mail.activity"]._ctrl_create_batch(vals_list)
        owners = [key for key, _record, _user in plan]
        # Remember one activity per step, for "advance on missed deadline".
        for key, activity in zip(owners, activities):
            by_key.setdefault(key, activity)
        steps._set_activities({step.id: by_key[key_of[step.res_id]].id for step in steps
                               if key_of.get(step.res_id) in by_key})

    def _activity_plan(self, records, key_of, by_key):
        """The activities this level schedules on ``records``, as [(key, record,
        user)]: one per group of records (``key_of``) without an open activity
        at this level (``by_key``), for each responsible. Also what the go-live
        preview counts."""
        # A group's members are the same for every record: look them up once.
        shared = self._responsibles(records[:1]) if self.responsible_type == "group" else None
        plan, seen = [], set(by_key)
        for record in records:
            key = key_of[record.id]
            if key in seen:
                continue
            seen.add(key)
            plan += [(key, record, user) for user in (shared if shared is not None else self._responsibles(record))]
        return plan

    def _has_no_members(self):
        """This level gives activities to a group without any active member:
        they would all fall to the administrator."""
        self.ensure_one()
        return bool(self.activity_type_id and self.responsible_type == "group" and self.responsible_group_id
                    and not self.responsible_group_id.users.filtered("active"))

    def _activity_keys(self, records):
        """{record id: the key its activity is shared by} (the record itself without a group field)."""
        if not self.activity_group_field:
            return {record.id: record.id for record in records}
        return {record.id: record[self.activity_group_field].id or f"record-{record.id}" for record in records}

    def _open_group_activities(self, records, key_of):
        """{key: open activity} of earlier steps at this level for the same groups."""
        if not self.activity_group_field:
            return {}
        Model = self.env[records._name]
        keys = [key for key in set(key_of.values()) if isinstance(key, int)]
        Model.flush_model([self.activity_group_field])
        self.env["ctrl.escalation.step"].flush_model(["level_id", "res_model", "res_id", "activity_id"])
        self.env["mail.activity"].flush_model(["active"])
        # One statement from the groups' records to their first open activity (the oldest step).
        rows = self.env.execute_query(SQL(
            """SELECT DISTINCT ON (peer.%(field)s) peer.%(field)s, step.activity_id
                 FROM %(table)s peer
                 JOIN ctrl_escalation_step step ON step.res_id = peer.id
                 JOIN mail_activity activity ON activity.id = step.activity_id AND activity.active
                WHERE peer.%(field)s = ANY(%(keys)s) AND step.level_id = %(level)s AND step.res_model = %(model)s
                ORDER BY peer.%(field)s, step.id""",
            field=SQL.identifier(self.activity_group_field), table=SQL.identifier(Model._table), keys=keys,
            level=self.id, model=records._name))
        Activity = self.env["mail.activity"].sudo()
        return {key: Activity.browse(activity_id) for key, activity_id in rows}
