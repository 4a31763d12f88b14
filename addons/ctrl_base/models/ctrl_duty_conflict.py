# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class CtrlDutyConflict(models.Model):
    """Two duties one person may not hold together (003/D7 第四条, D17 R17.1).

    A user holds duty A with any group of ``group_a_ids`` and duty B with any
    group of ``group_b_ids`` (implied groups count: Odoo stores them on the
    user). The addons that own the groups load the pairs as data.
    """

    _name = "ctrl.duty.conflict"
    _description = "Incompatible Duties"
    _order = "sequence, id"

    name = fields.Char("Incompatible duties", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    duty_a = fields.Char("First duty", required=True, translate=True)
    duty_b = fields.Char("Second duty", required=True, translate=True)
    group_a_ids = fields.Many2many(
        "res.groups", "ctrl_duty_conflict_group_a_rel", "conflict_id", "group_id", string="Groups of the first duty",
        required=True, help="A user in any of these groups holds the first duty.")
    group_b_ids = fields.Many2many(
        "res.groups", "ctrl_duty_conflict_group_b_rel", "conflict_id", "group_id", string="Groups of the second duty",
        required=True, help="A user in any of these groups holds the second duty.")
    company_id = fields.Many2one("res.company", string="Company", index=True,
                                 help="Empty: the pair applies in every company.")
    note = fields.Text("Why they are kept apart", translate=True)
    holder_count = fields.Integer("Users holding both", compute="_compute_holder_count")

    @api.constrains("group_a_ids", "group_b_ids")
    def _check_groups_apart(self):
        for conflict in self:
            common = conflict.group_a_ids & conflict.group_b_ids
            if common:
                raise ValidationError(_(
                    "Incompatible duties '%(name)s': group %(group)s is in both duties. Remove it from one of them.",
                    name=conflict.name, group=common[0].full_name))

    def _compute_holder_count(self):
        held = self.browse(self._origin.ids)._holders() if self._origin.ids else set()
        for conflict in self:
            conflict.holder_count = sum(1 for _user, conflict_id in held if conflict_id == conflict.id)

    def action_view_holders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_base.ctrl_duty_conflict_holder_action")
        action["domain"] = [("conflict_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # Who holds which pair
    # ------------------------------------------------------------------
    @api.model
    def _holders(self, users=None):
        """{(user id, conflict id)} of the users (all internal users when None)
        who hold both duties of an active pair that applies in one of their companies."""
        conflicts = self.sudo().search([("id", "in", self.ids)] if self else [])
        if not conflicts or (users is not None and not users):
            return set()
        self.env["res.users"].flush_model(["groups_id", "company_ids", "active", "share"])
        user_filter = SQL("AND u.id IN %s", tuple(users.ids)) if users is not None else SQL()
        rows = self.env.execute_query(SQL(
            """SELECT u.id, c.id
                 FROM ctrl_duty_conflict c
                 JOIN res_users u ON u.active AND NOT u.share %(user_filter)s
                WHERE c.id IN %(conflicts)s
                  AND (c.company_id IS NULL OR EXISTS (
                        SELECT 1 FROM res_company_users_rel cu WHERE cu.user_id = u.id AND cu.cid = c.company_id))
                  AND EXISTS (SELECT 1 FROM res_groups_users_rel g
                                JOIN ctrl_duty_conflict_group_a_rel a ON a.group_id = g.gid
                               WHERE g.uid = u.id AND a.conflict_id = c.id)
                  AND EXISTS (SELECT 1 FROM res_groups_users_rel g
                                JOIN ctrl_duty_conflict_group_b_rel b ON b.group_id = g.gid
                               WHERE g.uid = u.id AND b.conflict_id = c.id)""",
            user_filter=user_filter, conflicts=tuple(conflicts.ids)))
        return {(user_id, conflict_id) for user_id, conflict_id in rows}

    @api.model
    def _refused_users(self, users):
        """The users whose group assignment the server checks: internal users of
        a company that refuses incompatible duties. Data loading and server code
        (superuser) are not checked: a client never runs as superuser."""
        if self.env.su or not users:
            return self.env["res.users"]
        companies = self.env["res.company"].sudo().search([("ctrl_duty_refuse_conflicts", "=", True)])
        if not companies:
            return self.env["res.users"]
        return users.sudo().filtered(lambda user: user.company_ids & companies).with_env(users.env)

    @api.model
    def _check_new_conflicts(self, users, before):
        """Refuse when ``users`` hold a pair now that they did not hold in ``before``."""
        added = self.sudo().search([])._holders(users) - before
        if not added:
            return
        user_id, conflict_id = min(added)
        user, conflict = self.env["res.users"].sudo().browse(user_id), self.sudo().browse(conflict_id)
        raise ValidationError(_(
            "%(user)s cannot hold both '%(duty_a)s' and '%(duty_b)s': these duties are incompatible (%(pair)s). "
            "Remove one of them, or ask the Internal Control administrator to turn off 'Refuse incompatible "
            "duties' in Settings.",
            user=user.name, duty_a=conflict.duty_a, duty_b=conflict.duty_b, pair=conflict.name))

    @api.model
    def _conflicts_before(self, users):
        return self.sudo().search([])._holders(users) if users else set()
