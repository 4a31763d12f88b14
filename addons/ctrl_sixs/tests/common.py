# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin, set_ctrl_live

# A photo of a finding (an 8x8 red PNG): a Not OK answer needs one.
PHOTO = b"iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAFUlEQVR42mM8ISfHgA0wMeAAg1MCANDKARQfGKMRAAAAAElFTkSuQmCC"


class SixsCase(CtrlAssertMixin, TransactionCase):
    """A company of its own (so demo data never counts), a workshop with two
    processes, their teams with users, and one audit helper."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "6S Test Co"})
        set_ctrl_live(cls.company)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True,
                                       allowed_company_ids=[cls.company.id]))
        cls.env.user.company_ids += cls.company
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        # Users have people's names: the browser tours fail on a technical name on screen, and
        # new_test_user's default name lists the user's groups.
        cls.manager = new_test_user(cls.env, "sixs_mgr", groups="ctrl_sixs.group_sixs_manager", name="Manager",
                                    **company_vals)
        cls.inspector = new_test_user(cls.env, "sixs_insp", groups="ctrl_sixs.group_sixs_inspector",
                                      name="Inspector", **company_vals)
        cls.inspector2 = new_test_user(cls.env, "sixs_insp2", groups="ctrl_sixs.group_sixs_inspector",
                                       name="Second Inspector", **company_vals)
        cls.gm = new_test_user(cls.env, "sixs_gm", groups="base.group_user,ctrl_base.group_approver_gm",
                               name="General Manager", **company_vals)
        Employee = cls.env["hr.employee"]
        old = date.today() - timedelta(days=400)

        def employee(name, login=None):
            user = new_test_user(cls.env, login, groups="ctrl_sixs.group_sixs_user", name=name, **company_vals) \
                if login else cls.env["res.users"]
            return Employee.create({"name": name, "user_id": user.id, "company_id": cls.company.id,
                                    "ctrl_sixs_service_start": old})

        cls.head = employee("Head", "sixs_head")
        cls.leader1 = employee("Leader 1", "sixs_lead1")
        cls.worker_a = employee("Worker A", "sixs_wa")
        cls.worker_b = employee("Worker B", "sixs_wb")
        cls.leader2 = employee("Leader 2", "sixs_lead2")
        cls.worker_c = employee("Worker C")
        cls.newcomer = Employee.create({"name": "Newcomer", "company_id": cls.company.id,
                                        "ctrl_sixs_service_start": date.today() - relativedelta(months=1)})
        Area = cls.env["ctrl.sixs.area"]
        cls.dept = Area.create({"name": "Workshop", "level": "department", "responsible_id": cls.head.id})
        cls.proc1 = Area.create({"name": "Process 1", "level": "process", "parent_id": cls.dept.id,
                                 "responsible_id": cls.leader1.id,
                                 "employee_ids": [Command.set((cls.leader1 | cls.worker_a | cls.worker_b).ids)]})
        cls.proc2 = Area.create({"name": "Process 2", "level": "process", "parent_id": cls.dept.id,
                                 "responsible_id": cls.leader2.id,
                                 "employee_ids": [Command.set((cls.leader2 | cls.worker_c).ids)]})
        cls.zone1 = Area.create({"name": "Zone 1", "level": "zone", "zone_type": "workshop",
                                 "parent_id": cls.proc1.id, "responsible_id": cls.worker_a.id})
        cls.zone2 = Area.create({"name": "Zone 2", "level": "zone", "zone_type": "workshop",
                                 "parent_id": cls.proc2.id, "responsible_id": cls.worker_c.id})
        Item = cls.env["ctrl.sixs.item"]
        s1 = cls.env.ref("ctrl_sixs.category_s1")
        cls.item1 = Item.create({"code": "T-01", "name": "Aisles clear", "category_id": s1.id,
                                 "company_id": cls.company.id, "deduction": 2})
        cls.item2 = Item.create({"code": "T-02", "name": "Fire exits clear", "category_id": s1.id,
                                 "company_id": cls.company.id, "deduction": 3, "serious": True})
        cls.template = cls.env["ctrl.sixs.template"].create({
            "name": "Test workshop", "zone_type": "workshop", "company_id": cls.company.id,
            "item_ids": [Command.set((cls.item1 | cls.item2).ids)]})
        cls.today = date.today()

    def audit(self, area, day=None, findings=(), tier="routine", publish=True, user=None):
        """An audit of ``area`` on ``day``; ``findings`` = [(item, employee, deduction, count)], the
        other items OK; signed off, confirmed and published unless told otherwise."""
        env = self.env(user=user or self.manager)
        audit = env["ctrl.sixs.audit"].create({"area_id": area.id, "tier": tier,
                                               "scheduled_date": day or self.today})
        for line in audit.line_ids:
            line.result = "ok"
        for item, employee, deduction, count in findings:
            line = audit.line_ids.filtered(lambda li, i=item: li.item_id == i and li.result == "ok")[:1]
            if not line:
                line = env["ctrl.sixs.audit.line"].create({"audit_id": audit.id, "item_id": item.id})
            line.write({"result": "nok", "employee_id": employee.id if employee else False,
                        "deduction": deduction, "count": count, "note": "Found by the audit", "photo": PHOTO})
        if publish:
            audit.action_done()
            audit.action_confirm()
            audit.with_user(self.manager).action_publish()
        return audit

    def ledger(self, employee=None, reason=None):
        domain = [("company_id", "=", self.company.id), ("state", "=", "posted")]
        if employee:
            domain.append(("employee_id", "=", employee.id))
        if reason:
            domain.append(("reason_code", "=", reason))
        return self.env["ctrl.sixs.point"].search(domain)
