# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21: no access error for any demo role on any menu it can see.

Each role of the demo users gets a user of its own with only that role's groups, from the list the demo
data uses (ctrl_base/tools/demo_roles.py; the test does not need demo data). The user then walks every
menu it can see in ctrl's apps and in the native ones whose screens ctrl changes, the way the web client
opens them: the action, its views, its search with the list's fields and the first record with the form's
fields."""
from pathlib import Path

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import datetime, safe_eval, time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.ctrl_base.tests.common import POLICY_CODES, TECHNICAL_NAMES, CtrlAssertMixin
from odoo.addons.ctrl_base.tools.demo_roles import DEMO_ROLES, demo_user_xmlid

ADDONS = Path(__file__).resolve().parent.parent / "addons"
CTRL_ADDONS = sorted(path.parent.name for path in ADDONS.glob("*/__manifest__.py"))
# The apps a role works in: ctrl's own, and the native ones ctrl adds menus, tabs and fields to.
APPS = ("ctrl_base.menu_ctrl_root", "ctrl_sixs.menu_ctrl_sixs_root", "sale.sale_menu_root",
        "account.menu_finance", "maintenance.menu_maintenance_title", "hr.menu_hr_root")
SUBVIEWS = ("list", "kanban", "form")
TAG_WIDGETS = ("many2many_tags", "many2many_checkboxes", "many2many_avatar", "one2many_tags")


def own_fields(node):
    """The field nodes of a view node, without those of the sub-views embedded in its fields."""
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from own_fields(child)


def shown(node):
    return not any(node.get(attr) in ("1", "True", "true") for attr in ("invisible", "column_invisible"))


@tagged("post_install", "-at_install")
class TestMenuWalk(CtrlAssertMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.today = fields.Date.context_today(cls.env.user)
        # Every company active, as a user may choose: native records shared between companies (a product and
        # its taxes) stay readable, as in a single-company database.
        companies = cls.env["res.company"].search([])
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(companies.ids)]}
        cls.roles = DEMO_ROLES
        cls.users = {
            login: new_test_user(cls.env, f"walk_{login}", name=name, groups=",".join(groups), **company_vals)
            for login, (name, _job, groups) in cls.roles.items()
        }
        cls._create_documents()

    @classmethod
    def _first_key(cls, model, field):
        return cls.env[model]._fields[field]._description_selection(cls.env)[0][0]

    @classmethod
    def _create_documents(cls):
        """One document of each kind a role opens, so that the walk reads forms, not only empty lists."""
        cls.env.user.groups_id += (cls.env.ref("ctrl_receivable.group_receivable_manager")
                                   + cls.env.ref("ctrl_backup.group_backup_manager")
                                   + cls.env.ref("ctrl_sixs.group_sixs_manager")
                                   + cls.env.ref("ctrl_credit.group_credit_manager"))
        users = cls.users
        week_start = cls.today - relativedelta(days=cls.today.weekday())
        # Credit and receivables: a customer of the salesman with an invoice, an order and a hold.
        customer = cls.env["res.partner"].create({"name": "Walk Customer", "is_company": True,
                                                  "user_id": users["salesman"].id, "credit_limit": 50000})
        invoice = cls.init_invoice("out_invoice", partner=customer, amounts=[1000], post=True)
        invoice.invoice_user_id = users["salesman"]
        cls.env["sale.order"].create({
            "partner_id": customer.id, "user_id": users["salesman"].id,
            "order_line": [Command.create({"product_id": cls.product_a.id, "product_uom_qty": 1})],
        })
        cls.env["ctrl.credit.hold"]._ctrl_place(customer, "manual", note="Cheque returned unpaid")
        cls.env["ctrl.credit.evaluation"].create({"partner_id": customer.id})
        cls.company.ctrl_credit_limit_change_approval = "all"
        customer.credit_limit = 80000  # a limit change waiting for the credit committee
        cls.env["ctrl.credit.review"].sudo().create({"date": cls.today,  # made by a scheduled action
                                                     "date_end": cls.today + relativedelta(months=3)})
        aging = cls.env["ctrl.aging.report"].create({
            "date": cls.today, "company_id": cls.company.id,
            "scheme_id": cls.company._ctrl_recv_scheme("collection").id})
        aging.action_compute()
        cls.env["ctrl.provision.run"].create({"date": cls.today,
                                              "scheme_id": cls.company._ctrl_recv_scheme("provision").id})
        cls.env["ctrl.provision.specific"].create({"partner_id": customer.id, "reason": "Customer in liquidation"})
        cls.env["ctrl.collection.case"].create({"partner_id": customer.id})
        cls.env["ctrl.collection.promise"].create({"move_id": invoice.id, "date": cls.today + relativedelta(days=7),
                                                   "amount": 500})
        cls.env["ctrl.writeoff"].create({"partner_id": customer.id, "reason": cls._first_key("ctrl.writeoff", "reason"),
                                         "explanation": "Customer dissolved, nothing left to collect."})
        cls.env["ctrl.balance.confirmation"].create({"partner_id": customer.id, "date": cls.today})
        cls.env["ctrl.receivable.handover"].create({
            "user_id": users["salesman"].id, "successor_id": users["sales.manager"].id,
            "supervisor_id": users["sales.vp"].id})
        # Backup: an approved plan with a log, a plan waiting for the department head, media and requests.
        cls.env["maintenance.team"].create({"name": "Walk team", "company_id": cls.company.id})
        plan_vals = {"data_class": "important", "schedule": "daily", "retention_days": 30,
                     "executor_id": users["backup.operator"].id, "checker_id": users["backup.checker"].id}
        approved = cls.env["ctrl.backup.plan"].create({"name": "Walk approved plan", **plan_vals})
        approved.action_submit()
        for approver in (users["dept.head"], users["it.head"]):
            approved.ctrl_approval_ids.with_user(approver).action_approve()
        cls.env["ctrl.backup.log"].create({"plan_id": approved.id})
        cls.env["ctrl.backup.plan"].create({"name": "Walk plan", **plan_vals}).action_submit()
        location = cls.env["ctrl.backup.location"].create({"name": "Walk safe", "site": "onsite"})
        media = cls.env["maintenance.equipment"].create({
            "name": "Walk disk", "category_id": cls.env.ref("ctrl_backup.equipment_category_backup_media").id,
            "ctrl_media_type": "disk", "ctrl_location_id": location.id})
        cls.env["ctrl.backup.loan"].create({"media_id": media.id, "purpose": "Audit of last year's ledgers"}
                                           ).action_submit()  # waiting for the general manager
        cls.env["ctrl.backup.destruction"].create({"media_id": media.id})
        cls.env["ctrl.backup.incident"].create({"name": "Disk failure", "incident_type": "hardware",
                                                "description": "The NAS lost a disk."})
        cls.env["ctrl.backup.repair.device"].create({"name": "NAS disk 2"})
        cls.env["ctrl.backup.access.review"].create({"period": cls.today, "reviewer_id": users["dept.head"].id})
        # 6S: an area the area owner answers for, a plan, an audit, an action and the results' documents.
        owner = cls.env["hr.employee"].create({"name": "Walk Owner", "user_id": users["6s.area.owner"].id,
                                               "ctrl_sixs_service_start": cls.today - relativedelta(years=1)})
        owner._ctrl_checklist_start("departure")
        cls.env["ctrl.backup.upload"].create({"employee_id": owner.id})
        cls.env["ctrl.backup.accountability"].create({"employee_id": owner.id})
        cls.env["ctrl.backup.spot.check"].create({"employee_id": owner.id, "compliant": True})
        area = cls.env["ctrl.sixs.area"].create({"name": "Walk zone", "level": "zone", "zone_type": "workshop",
                                                 "responsible_id": owner.id,
                                                 "employee_ids": [Command.set(owner.ids)]})
        cls.env["ctrl.sixs.plan"].create({"name": "Walk plan", "tier": "routine",
                                          "area_ids": [Command.set(area.ids)]})
        cls.env["ctrl.sixs.audit"].create({"area_id": area.id, "tier": "routine", "scheduled_date": cls.today})
        cls.env["ctrl.sixs.action"].create({"description": "Clear the aisle", "owner_id": owner.id,
                                            "area_id": area.id, "deadline": cls.today + relativedelta(days=3)})
        cls.env["ctrl.sixs.rota"].create({"area_id": area.id, "date": cls.today, "employee_id": owner.id})
        cls.env["ctrl.sixs.award"].create({"award_type": cls._first_key("ctrl.sixs.award", "award_type"),
                                           "employee_id": owner.id, "period_start": week_start,
                                           "period_end": week_start + relativedelta(days=6)})
        cls.env["ctrl.sixs.publication"].sudo().create({"period_start": week_start,  # made by a scheduled action
                                                        "period_end": week_start + relativedelta(days=6)})
        month = cls.today.replace(day=1)
        cls.env["ctrl.sixs.payroll"].sudo().create({"month": month.strftime("%Y-%m"), "date_start": month,
                                                    "date_end": month + relativedelta(months=1, days=-1)})
        cls.env["ctrl.sixs.unneeded.item"].create({"name": "Broken pallet", "area_id": area.id})
        cls.env["ctrl.sixs.fixed.position"].create({"location_code": "W-01", "name": "Boxes", "area_id": area.id})

    # The web client ------------------------------------------------------------------------------------
    def _eval_context(self, user):
        today = fields.Date.context_today(user)
        return {
            "uid": user.id, "context_today": lambda: today, "current_date": str(today), "today": str(today),
            "now": str(fields.Datetime.now()), "datetime": datetime, "time": time, "relativedelta": relativedelta,
            "allowed_company_ids": user.company_ids.ids, "current_company_id": user.company_id.id,
            "active_id": False, "active_ids": [], "active_model": False,
        }

    def _spec(self, node, models, model):
        """What the web client reads for the fields of ``node`` (a view or an embedded sub-view)."""
        fields_info = models[model]["fields"]
        spec = {"display_name": {}}
        for field_node in own_fields(node):
            name = field_node.get("name")
            field = fields_info.get(name)
            if not field:
                continue
            if field["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif field["type"] in ("one2many", "many2many"):
                sub = next((child for kind in SUBVIEWS for child in field_node if child.tag == kind), None)
                if sub is not None:
                    spec[name] = {"fields": self._spec(sub, models, field["relation"])}
                elif (field_node.get("widget") or "").startswith(TAG_WIDGETS):
                    spec[name] = {"fields": {"display_name": {}}}
                else:  # a count, or a widget that loads its records itself (activities)
                    spec[name] = {}
            else:
                spec[name] = {}
        return spec

    def _labels(self, node, models, model):
        """The labels of the fields ``node`` shows, with those of its embedded sub-views."""
        fields_info = models[model]["fields"]
        for field_node in own_fields(node):
            field = fields_info.get(field_node.get("name"))
            if not field or not shown(field_node):
                continue
            yield field_node.get("string") or field["string"]
            for sub in field_node:
                if sub.tag in SUBVIEWS:
                    yield from self._labels(sub, models, field["relation"])

    def _default_filters(self, search_arch, context, eval_context):
        """The domain and group-by of the search view's filters the action's context turns on: filters of
        one group (between separators) are alternatives, groups all apply."""
        groups, groupby, group = {}, [], 0
        for node in search_arch.iter(etree.Element):
            if node.tag != "filter":
                group += 1
                continue
            if not context.get(f"search_default_{node.get('name')}"):
                continue
            if node.get("domain"):
                groups.setdefault(group, []).append(safe_eval(node.get("domain"), eval_context))
            if node.get("context"):
                group_by = safe_eval(node.get("context"), eval_context).get("group_by")
                groupby += [group_by] if isinstance(group_by, str) else group_by or []
        return expression.AND([expression.OR(domains) for domains in groups.values()]), groupby

    def _read_record(self, record, form_arch, models, where):
        """Read ``record`` with the fields of its form, as the web client opens it."""
        values = record.web_read(self._spec(form_arch, models, record._name))[0]
        self.assertNotRegex(values["display_name"], r"^[a-z_.]+,\d+$", f"{where}: the record has no name")

    def _read_form(self, user, model, res_id, where):
        """Open record ``res_id`` of ``model`` in its default form as ``user``."""
        env = self.env(user=user, context={"lang": "en_US", "allowed_company_ids": user.company_ids.ids})
        result = env[model].get_views([[False, "form"]])
        self._read_record(env[model].browse(res_id), etree.fromstring(result["views"]["form"]["arch"]),
                          result["models"], where)

    def _views(self, Model, action):
        """The action's views as the web client loads them (with a search view and a form)."""
        views = [[view_id, kind] for view_id, kind in action.views]
        views.append([action.search_view_id.id or False, "search"])
        if not any(kind == "form" for _view_id, kind in views):
            views.append([False, "form"])
        result = Model.get_views(views, {"action_id": action.id, "load_filters": True, "toolbar": True})
        return {kind: etree.fromstring(view["arch"]) for kind, view in result["views"].items()}, result["models"]

    def _check_labels(self, archs, models, model, where):
        for kind in ("list", "form"):
            for label in self._labels(archs[kind], models, model) if kind in archs else ():
                self.assertFalse(TECHNICAL_NAMES.search(label) or POLICY_CODES.search(label)
                                 or label.startswith("Ctrl "), f"{where}: the {kind} shows '{label}'")

    def _search(self, Model, archs, models, domain, groupby):
        """The action's search, read with the fields of each of its multi-record views; the records found."""
        if groupby:
            Model.web_read_group(domain, [], groupby[:1])
        found = []
        for kind in ("list", "kanban"):
            if kind in archs:
                result = Model.web_search_read(domain, self._spec(archs[kind], models, Model._name), limit=80)
                found = found or [row["id"] for row in result["records"]]
        for kind in ("pivot", "graph"):
            if kind in archs:
                rows = [node.get("name") for node in archs[kind].iter("field") if node.get("type") == "row"]
                Model.web_read_group(domain, [], rows[:1])
        return Model.browse(found)

    def _open_action(self, user, action, where):
        """Open a window action as ``user``, as the web client does: its views, its search with the list's
        (and kanban's) fields, then its first record with the form's fields."""
        eval_context = self._eval_context(user)
        context = safe_eval(action.context or "{}", eval_context)
        env = self.env(user=user, context=dict(context, lang="en_US", allowed_company_ids=user.company_ids.ids))
        Model = env[action.res_model]
        archs, models = self._views(Model, action)
        self._check_labels(archs, models, action.res_model, where)
        if action.res_id:
            records = Model.browse(action.res_id)
        elif action.view_mode.split(",")[0] == "form":  # a wizard or a settings page: a new record
            Model.onchange({}, [], self._spec(archs["form"], models, action.res_model))
            return
        else:
            filter_domain, groupby = self._default_filters(archs["search"], context, eval_context)
            domain = safe_eval(action.domain or "[]", eval_context) + filter_domain
            records = self._search(Model, archs, models, domain, groupby)
        if records:
            self._read_record(records[0], archs["form"], models, where)

    def _ctrl_screens(self):
        """The menus ctrl adds, and the models whose screens ctrl changes (fields or views it adds)."""
        data = self.env["ir.model.data"].search([("module", "in", CTRL_ADDONS),
                                                 ("model", "in", ("ir.ui.menu", "ir.model.fields", "ir.ui.view"))])
        by_model = {}
        for row in data:
            by_model.setdefault(row.model, []).append(row.res_id)
        menus = set(by_model.get("ir.ui.menu", []))
        models = set(self.env["ir.model.fields"].browse(by_model.get("ir.model.fields", [])).mapped("model"))
        models |= set(self.env["ir.ui.view"].browse(by_model.get("ir.ui.view", [])).mapped("model"))
        return menus, models

    def _visible_menus(self, user):
        """The menus of APPS ``user`` sees, as the web client builds its menu tree, that ctrl adds or whose
        screens ctrl changes."""
        Menu = self.env["ir.ui.menu"].with_user(user)
        visible = Menu._visible_menu_ids()
        roots = {self.env.ref(xmlid).id for xmlid in APPS}
        ctrl_menus, ctrl_models = self._ctrl_screens()
        menus = []
        for menu in Menu.sudo().browse(sorted(visible)):
            chain = [menu]
            while chain[-1].parent_id:
                chain.append(chain[-1].parent_id)
            if chain[-1].id not in roots or not all(item.id in visible for item in chain) or not menu.action:
                continue
            if menu.id in ctrl_menus or getattr(menu.action, "res_model", None) in ctrl_models:
                menus.append(menu)
        return menus

    def _walk(self, login):
        """Open every menu the role sees; returns the menus opened and the access errors met."""
        user = self.users[login]
        opened, errors = 0, []
        for menu in self._visible_menus(user):
            action = menu.action.sudo()
            where = f"role {login}, menu {menu.complete_name}"
            try:
                if action._name == "ir.actions.server":
                    result = action.with_user(user).with_context(lang="en_US").run()
                    is_window = isinstance(result, dict) and result.get("type") == "ir.actions.act_window"
                    action = self.env["ir.actions.act_window"].browse(result.get("id")) if is_window else None
                if action is None or action._name != "ir.actions.act_window" or not action.exists():
                    continue
                where += f", model {action.res_model}"
                with self.env.cr.savepoint():
                    self._open_action(user, action, where)
                opened += 1
            except AccessError as error:
                lines = [line for line in str(error).splitlines() if line.startswith(("- ", "Sorry"))]
                errors.append(f"{where}: {' '.join(lines) or error}")
        return opened, errors

    # Tests ----------------------------------------------------------------------------------------------
    def test_demo_roles_are_declared(self):
        """Every role the issue names has a demo user, and each approver group of an approval rule has one."""
        self.assertGreaterEqual(set(self.roles), {
            "salesman", "sales.manager", "sales.vp", "accountant", "finance.director", "gm", "it.head",
            "backup.operator", "backup.checker", "6s.inspector", "6s.area.owner"})
        rules = self.env["ctrl.approval.rule"].search([])
        users = self.env["res.users"].browse([user.id for user in self.users.values()])
        for group in rules.step_ids.group_id:
            self.assertTrue(users & group.users, f"no demo role decides the steps of group '{group.name}'")

    def test_demo_users_hold_exactly_their_role(self):
        """The demo data's users get their role's groups, and only those (with what they imply), even after an
        app gave its template groups to every existing user."""
        users = self.env["res.users"].sudo()._ctrl_demo_users()
        self.assertEqual(len(users), len(self.roles))
        later_app = self.env["res.groups"].sudo().create({"name": "An app installed later"})
        self.env.ref("base.default_user").sudo().groups_id += later_app  # as the app's data does
        self.assertIn(later_app, self.env.ref(demo_user_xmlid("board")).groups_id)
        self.env["res.users"].sudo()._ctrl_demo_users()
        for login, (name, _job, groups) in self.roles.items():
            user = self.env.ref(demo_user_xmlid(login))
            role = self.env["res.groups"].browse([self.env.ref(xmlid).id for xmlid in groups])
            self.assertEqual((user.login, user.name), (login, name))
            self.assertEqual(user.groups_id, role | role.trans_implied_ids, login)
            self.assertEqual(user.company_id, self.env.ref("base.main_company"))

    def test_roles_stay_strict(self):
        """What the roles may open does not let them decide: a salesman approves nothing and sets no credit
        limit, the department head and the board only read what they approve."""
        salesman = self.users["salesman"]
        requests = self.env["ctrl.approval.request"].search([("state", "=", "pending"),
                                                             ("company_id", "=", self.company.id)])
        self.assertTrue(requests)
        for request in requests:
            self.assertFalse(request.with_user(salesman).can_decide)
            with self.assertRaises(AccessError):
                request.with_user(salesman).action_approve()
        customer = self.env["res.partner"].search([("name", "=", "Walk Customer")])
        limit = customer.credit_limit
        with self.assertRaises(UserError):  # a change is already waiting for approval
            customer.with_user(salesman).write({"credit_limit": limit + 1})
        self.env.company.ctrl_credit_limit_change_approval = "off"
        with self.assertRaises(AccessError):
            customer.with_user(salesman).write({"credit_limit": limit + 1})
        self.assertEqual(customer.credit_limit, limit)
        plan = self.env["ctrl.backup.plan"].search([("company_id", "=", self.company.id)], limit=1)
        with self.assertRaises(AccessError):
            plan.with_user(self.users["dept.head"]).write({"retention_days": 1})
        writeoff = self.env["ctrl.writeoff"].search([("company_id", "=", self.company.id)], limit=1)
        with self.assertRaises(AccessError):
            writeoff.with_user(self.users["board"]).write({"explanation": "Changed by the board"})

    def test_every_role_walks_its_menus_without_access_error(self):
        errors = []
        for login in self.roles:
            opened, role_errors = self._walk(login)
            errors += role_errors
            self.assertGreater(opened, 1, f"role {login} sees no menu of ctrl's apps")
        self.assertFalse(errors, "\n".join(errors))

    def test_every_approver_opens_what_it_approves(self):
        """A role in an approver group of a rule may read that rule's documents; whoever may decide a waiting
        request opens its document (the request's Document button) without an access error."""
        missing = []
        for rule in self.env["ctrl.approval.rule"].with_context(active_test=False).search([]):
            model = rule.model_id.model
            sample = self.env[model].search([("company_id", "=", self.company.id)], limit=1)
            for group in rule.step_ids.group_id:
                for login, user in self.users.items():
                    if group not in user.groups_id:
                        continue
                    where = f"role {login} approves '{rule.name}'"
                    if not self.env[model].with_user(user).has_access("read"):
                        missing.append(f"{where} but cannot read {model}")
                    elif sample:
                        try:
                            self._read_form(user, model, sample.id, where)
                        except AccessError as error:
                            missing.append(f"{where} but cannot open {sample.display_name}: {error}")
        self.assertFalse(missing, "\n".join(missing))
        requests = self.env["ctrl.approval.request"].search([("state", "=", "pending"),
                                                             ("company_id", "=", self.company.id)])
        self.assertGreaterEqual(len(requests), 3, "the documents waiting for approval")
        for request in requests:
            deciders = [login for login, user in self.users.items() if request.with_user(user).can_decide]
            self.assertTrue(deciders, f"no demo role decides {request.display_name}")
            for login in deciders:
                action = request.with_user(self.users[login]).action_open_document()
                where = f"role {login}, approval of {action['res_model']}"
                try:
                    self._read_form(self.users[login], action["res_model"], action["res_id"], where)
                except AccessError as error:
                    missing.append(f"{where}: {error}")
        self.assertFalse(missing, "\n".join(missing))
