# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL


class CtrlDutyConflictHolder(models.Model):
    """The "Incompatible duties" report: every active internal user who holds
    both duties of a pair (003/D7 第四条, D17), read live from the groups."""

    _name = "ctrl.duty.conflict.holder"
    _description = "Users Holding Incompatible Duties"
    _auto = False
    _order = "conflict_id, user_id"

    conflict_id = fields.Many2one("ctrl.duty.conflict", string="Incompatible duties", readonly=True)
    user_id = fields.Many2one("res.users", string="User", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    duty_a = fields.Char(related="conflict_id.duty_a")
    duty_b = fields.Char(related="conflict_id.duty_b")
    groups_a = fields.Char("Groups giving the first duty", compute="_compute_groups")
    groups_b = fields.Char("Groups giving the second duty", compute="_compute_groups")

    @api.depends("conflict_id", "user_id")
    def _compute_groups(self):
        for row in self:
            user_groups = row.user_id.sudo().groups_id
            row.groups_a = ", ".join((row.conflict_id.group_a_ids & user_groups).mapped("full_name"))
            row.groups_b = ", ".join((row.conflict_id.group_b_ids & user_groups).mapped("full_name"))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE VIEW %s AS (
                SELECT ROW_NUMBER() OVER (ORDER BY c.id, u.id) AS id,
                       c.id AS conflict_id, u.id AS user_id, c.company_id AS company_id
                  FROM ctrl_duty_conflict c
                  JOIN res_users u ON u.active AND NOT u.share
                 WHERE c.active
                   AND (c.company_id IS NULL OR EXISTS (
                         SELECT 1 FROM res_company_users_rel cu WHERE cu.user_id = u.id AND cu.cid = c.company_id))
                   AND EXISTS (SELECT 1 FROM res_groups_users_rel g
                                 JOIN ctrl_duty_conflict_group_a_rel a ON a.group_id = g.gid
                                WHERE g.uid = u.id AND a.conflict_id = c.id)
                   AND EXISTS (SELECT 1 FROM res_groups_users_rel g
                                 JOIN ctrl_duty_conflict_group_b_rel b ON b.group_id = g.gid
                                WHERE g.uid = u.id AND b.conflict_id = c.id)
            )""", SQL.identifier(self._table)))
