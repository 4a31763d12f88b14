# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo users, one per role: the demo data of every ctrl addon creates them
(res.users._ctrl_demo_users), README lists them, and tests/test_menu_walk.py
gives its users the same groups."""

DEMO_PASSWORD = "demo-password"

# login: (name, job position, groups). The first group names the role: the user exists once it is installed.
# Groups of addons not installed are left out until they are.
DEMO_ROLES = {
    # Approvers of the approval rules, with the rights to open what they approve.
    "gm": ("Guo Qiang", "General Manager", (
        "ctrl_base.group_approver_gm", "sales_team.group_sale_salesman_all_leads", "ctrl_credit.group_credit_user",
        "ctrl_receivable.group_receivable_user", "ctrl_sixs.group_sixs_user")),
    "board": ("Lin Hai", "Chairman of the Board", ("ctrl_base.group_approver_board",)),
    "finance.director": ("Xu Hui", "Finance Director", (
        "ctrl_base.group_approver_finance", "account.group_account_manager",
        "sales_team.group_sale_salesman_all_leads", "ctrl_credit.group_credit_user",
        "ctrl_receivable.group_receivable_manager")),
    "dept.head": ("Song Yan", "Department Head", ("ctrl_base.group_approver_department_head",)),
    "it.head": ("Huang Tao", "IT Head", ("ctrl_base.group_approver_it_head", "ctrl_backup.group_backup_manager")),
    # Sales and credit.
    "sales.vp": ("Ma Jun", "Sales VP", (
        "ctrl_base.group_approver_sales_vp", "sales_team.group_sale_manager", "ctrl_credit.group_credit_manager")),
    "sales.manager": ("Sun Li", "Sales Manager", (
        "ctrl_base.group_approver_sales_manager", "sales_team.group_sale_manager", "ctrl_credit.group_credit_user")),
    "salesman": ("Zhou Lei", "Salesman", ("ctrl_credit.group_credit_user", "sales_team.group_sale_salesman")),
    # Receivables.
    "accountant": ("He Ping", "Accountant", (
        "ctrl_receivable.group_receivable_manager", "account.group_account_user")),
    # Backup: one operator runs the demo plans, another checks them.
    "backup.operator": ("Gao Feng", "Backup Operator", ("ctrl_backup.group_backup_operator",)),
    "backup.checker": ("Luo Bin", "Backup Checker", ("ctrl_backup.group_backup_operator",)),
    # 6S.
    "6s.inspector": ("Tang Yu", "6S Inspector", ("ctrl_sixs.group_sixs_inspector",)),
    "6s.area.owner": ("Wang Fang", "Line 1 leader", ("ctrl_sixs.group_sixs_user",)),
    "6s.quality.director": ("Deng Lin", "Quality Director", ("ctrl_sixs.group_sixs_quality_director",)),
    "6s.admin.director": ("Feng Jie", "Admin Director", ("ctrl_sixs.group_sixs_admin_director",)),
}


def demo_user_xmlid(login):
    """The external id of the demo user of ``login`` (e.g. ctrl_base.demo_user_sales_manager)."""
    return "ctrl_base.demo_user_" + login.replace(".", "_")
