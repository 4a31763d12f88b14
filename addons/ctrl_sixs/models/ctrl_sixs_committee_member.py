# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

ROLES = [("chair", "Chair"), ("member", "Member"), ("officer", "6S officer"), ("team_leader", "Team leader")]


class CtrlSixsCommitteeMember(models.Model):
    """A member of the 6S committee and the role held (seed-001 §2, §9 #15)."""

    _name = "ctrl.sixs.committee.member"
    _description = "6S Committee Member"
    _order = "committee_id, role, id"
    _rec_name = "employee_id"

    committee_id = fields.Many2one("ctrl.sixs.committee", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", required=True, ondelete="restrict")
    role = fields.Selection(ROLES, required=True, default="member")
    department_area_id = fields.Many2one("ctrl.sixs.area", "Department", domain=[("level", "=", "department")])
    company_id = fields.Many2one(related="committee_id.company_id", store=True, index=True)

    _sql_constraints = [("committee_employee_uniq", "unique(committee_id, employee_id)",
                         "An employee is a member of a committee once.")]
