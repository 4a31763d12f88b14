# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import json
import os
import re
from contextlib import contextmanager
from datetime import date, datetime
from urllib.parse import quote

import freezegun
import openpyxl
import polib
from lxml import etree
from odoo_test_helper import FakeModelLoader

from odoo import fields, models
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user
from odoo.tools.translate import TranslationModuleReader

# setup/test runs the suite once more on each of several calendar days (the
# 5th of January; 29 February late in the UTC evening, when the users' local
# day is already the 1st): a test must pass on any day, at any hour.
# CTRL_TEST_TODAY is a date (09:00 UTC) or a moment (2028-02-29T23:30).
TEST_TODAY = os.environ.get("CTRL_TEST_TODAY")
TEST_NOW = TEST_TODAY and (TEST_TODAY if len(TEST_TODAY) > 10 else f"{TEST_TODAY} 09:00:00")


def set_ctrl_live(companies, go_live=date(2000, 1, 1), policy="ignore"):
    """Switch the internal controls of ``companies`` on (as the Activate button
    does), with a go-live date far enough in the past to cut off nothing."""
    companies.sudo().write({"ctrl_go_live_date": go_live, "ctrl_backlog_policy": policy})
    companies.sudo().action_ctrl_activate()


# Policy references ("V14 5.5", "000/B09-05", "seed 000 B01-16") and technical names that must not reach a screen.
POLICY_CODES = re.compile(r"\bV\d{2}\b|\b\d{3}/[A-Z]|\b[A-Z]\d{2}-\d{2}\b|\b\d{3} [A-Z]\d{2}\b|\b[A-Z]\d\.\d\b")
TECHNICAL_NAMES = re.compile(r"\bctrl[._][a-z_.]+|_ctrl_|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")


# Chinese characters and full-width punctuation: none of them belongs in English.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Placeholders of a message, kept by its translation.
PLACEHOLDERS = re.compile(r"%(?:\([a-z_]+\))?[sdf]|\{\{.*?\}\}")
# Models whose records are not read as data (views, access rules, technical settings; labels and
# selections are checked in the .po files).
TECHNICAL_DATA = ("ir.ui.view", "ir.model.access", "ir.rule", "ir.model.fields", "ir.model.fields.selection",
                  "ir.model", "ir.sequence", "ir.config_parameter", "ir.asset", "ir.default",
                  "ir.model.constraint", "ir.model.relation")


def load_language(env, lang, modules):
    """Install ``lang`` and load the translations of ``modules`` (as a user switching it on does)."""
    env["res.lang"]._activate_lang(lang)
    env["ir.module.module"].search([("name", "in", modules)])._update_translations([lang])


def reader_env(user):
    """The environment ``user`` reads in, as the web client sets it up (their language and time zone)."""
    return user.env(user=user, context=user.with_user(user).context_get())


def words(text):
    """Whether ``text`` holds words to translate (not only codes, acronyms, numbers or lines)."""
    return bool(re.search(r"[a-z]{2}", text or ""))


def screen_texts(env, module):
    """What a user of ``module`` reads: its views' texts and labelling attributes (not field names,
    comments or expressions), its fields' labels, help and selection labels, its window actions'
    names and help, its menus and its models' names."""
    ids = {}
    for row in env["ir.model.data"].search([("module", "=", module)]):
        ids.setdefault(row.model, []).append(row.res_id)
    for view in env["ir.ui.view"].browse(ids.get("ir.ui.view", [])):
        for node in etree.fromstring(view.arch_db.encode()).iter(etree.Element):
            for text in [node.text, node.tail] + [node.get(attr) for attr in
                                                 ("string", "help", "placeholder", "title", "confirm", "sum")]:
                if text and text.strip():
                    yield view.xml_id, text
    for field in env["ir.model.fields"].browse(ids.get("ir.model.fields", [])):
        for text in (field.field_description, field.help or "", *field.selection_ids.mapped("name")):
            yield f"{field.model}.{field.name}", text
    for action in env["ir.actions.act_window"].browse(ids.get("ir.actions.act_window", [])):
        yield action.xml_id, action.name
        yield action.xml_id, etree.fromstring(f"<div>{action.help}</div>").xpath("string()") if action.help else ""
    for menu in env["ir.ui.menu"].browse(ids.get("ir.ui.menu", [])):
        yield f"menu {menu.id}", menu.name
    for model in env["ir.model"].browse(ids.get("ir.model", [])):
        yield model.model, model.name


class CtrlAssertMixin:
    """Test helpers shared by the ctrl addons. With CTRL_TEST_TODAY set, the
    class runs then (the clock ticks from that moment). The companies that
    exist when the class starts run their internal controls (``ctrl_live``
    False to leave them off); a company a test creates starts off, as in
    production: call ``set_ctrl_live`` on it."""

    ctrl_live = True

    @classmethod
    def setUpClass(cls):
        if TEST_TODAY:
            cls.startClassPatcher(freezegun.freeze_time(TEST_NOW, tick=True))
        super().setUpClass()
        if cls.ctrl_live:
            set_ctrl_live(cls.env["res.company"].search([]))

    def assertPlainWords(self, module):
        """No policy code and no technical name in what a user of ``module`` reads."""
        for where, text in screen_texts(self.env, module):
            self.assertFalse(POLICY_CODES.search(text), f"{where}: {text}")
            self.assertFalse(TECHNICAL_NAMES.search(text), f"{where}: {text}")

    def assertReadableNames(self, module):
        """Every stored model of ``module`` names its records (not "model,id"); returns how many."""
        data = self.env["ir.model.data"].search([("module", "=", module), ("model", "=", "ir.model")])
        res_ids = data.mapped("res_id")
        checked = 0
        for model_name in set(self.env["ir.model"].browse(res_ids).mapped("model")):
            Model = self.env[model_name]
            if Model._abstract or Model._transient:
                continue
            custom = type(Model)._compute_display_name is not models.BaseModel._compute_display_name
            self.assertTrue(Model._rec_name or custom, f"{model_name} shows as '{model_name},<id>'")
            checked += 1
        return checked

    def assertTranslatedData(self, module, lang="zh_CN"):
        """The records that ``module``'s data and demo files create read in plain English in English
        (no Chinese) and translated in ``lang`` (each translated field with words differs from its
        English). Returns how many values were checked."""
        load_language(self.env, lang, [module])
        checked = 0
        for row in self.env["ir.model.data"].search([("module", "=", module), ("model", "not in", TECHNICAL_DATA)]):
            record = self.env[row.model].browse(row.res_id).exists()
            fields = [name for name, field in record._fields.items() if field.translate is True and field.store]
            for name in fields if record else ():
                english = record.with_context(lang="en_US")[name]
                if not english:
                    continue
                translated = record.with_context(lang=lang)[name]
                self.assertFalse(CJK.search(english), f"{row.complete_name}.{name} in English: {english}")
                if words(english):
                    self.assertNotEqual(translated, english, f"{row.complete_name}.{name} is not translated")
                checked += 1
        return checked

    def assertPoComplete(self, module, lang="zh_CN"):
        """Every term a user of ``module`` reads, as Odoo's export finds them (labels, selections,
        help, views, menus, data records, the code's messages), has its translation in
        ``i18n/<lang>.po``, with the same placeholders. Returns how many terms were checked.
        (Not in a class that loads test models: odoo_test_helper names other modules' fields too.)"""
        path = os.path.join(get_module_path(module), "i18n", f"{lang}.po")
        translations = {entry.msgid: entry.msgstr for entry in polib.pofile(path)}
        terms = {source for _module, _type, _name, _xmlid, source, _value, _comments
                 in TranslationModuleReader(self.env.cr, modules=[module]) if words(source)}
        for term in terms:
            translated = translations.get(term)
            self.assertTrue(translated, f"{module}/i18n/{lang}.po lacks {term!r}")
            self.assertEqual(sorted(PLACEHOLDERS.findall(translated)), sorted(PLACEHOLDERS.findall(term)),
                             f"{module}/i18n/{lang}.po changes the placeholders of {term!r}")
        return len(terms)

    @contextmanager
    def assertRaisesRegex(self, exception, regex, msg=None):
        """Like unittest's, but inside Odoo's savepoint (as assertRaises is), so
        a failed write leaves nothing behind for the next assertion."""
        with self.assertRaises(exception, msg=msg) as cm:
            yield cm
        self.assertRegex(str(cm.exception), regex)


def own_password(env, login):
    """Make the test user ``login`` one who chose their own password, as after a first login: a
    password set by another user must be changed before any other page or RPC call (ctrl_backup),
    and the account test cases create their users as an administrator, not as the superuser."""
    user = env["res.users"].sudo().search([("login", "=", login)])
    if "ctrl_password_must_change" in user._fields:
        user.write({"ctrl_password_must_change": False})


class CtrlXlsxMixin:
    """Print ctrl's XLSX reports in tests as a given user, through the report
    (``_render_xlsx``) or as the web client downloads them (the HTTP route:
    mix with HttpCase), and read the workbooks back (openpyxl)."""

    def render_xlsx(self, report_ref, res_ids, user, data=None):
        content, kind = self.env["ir.actions.report"].with_user(user)._render_xlsx(report_ref, res_ids, data=data)
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def download_xlsx(self, report_ref, res_ids, login, data=None):
        """The HTTP response of the report's download, logged in as ``login`` (password = login)."""
        report = self.env["ir.actions.report"]._get_report(report_ref)
        own_password(self.env, login)
        self.authenticate(login, login)
        url = f"/ctrl_base/report/xlsx/{report.report_name}"
        if res_ids:
            url += "/" + ",".join(str(res_id) for res_id in res_ids)
        if data:
            url += f"?options={quote(json.dumps(data))}"
        return self.url_open(url)

    def downloaded_xlsx(self, report_ref, res_ids, login, data=None):
        """The workbook downloaded as ``login`` (the download must succeed) and its file name."""
        response = self.download_xlsx(report_ref, res_ids, login, data=data)
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(response.headers["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        filename = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", response.headers["Content-Disposition"])
        return openpyxl.load_workbook(io.BytesIO(response.content)), filename.group(1)

    def assertXlsxRefused(self, response, exception="odoo.exceptions.AccessError", status=403):
        """The download was refused with ``exception``, shown to the user like an RPC error."""
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertIn(exception, response.text)

    def xlsx_header(self, sheet):
        """{label: value} of the header that opens the sheet (down to the first blank row)."""
        header = {}
        for label, value in sheet.iter_rows(max_col=2, values_only=True):
            if label is None:
                break
            header[label] = value
        return header

    def xlsx_table(self, sheet):
        """The rows under the header (column titles first), trailing blank cells dropped."""
        rows = list(sheet.iter_rows(values_only=True))
        start = next(index for index, row in enumerate(rows) if row[0] is None) + 1
        table = []
        for row in rows[start:]:
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            table.append(tuple(row))
        return table

    def assertXlsxHeader(self, book, user, company, filters=None):
        """Every sheet opens with the company, the day printed (the user's day)
        and the ``filters`` given ({label: value}; a date cell reads as a date)."""
        today = fields.Date.context_today(self.env["res.users"].with_user(user))
        for sheet in book.worksheets:
            header = self.xlsx_header(sheet)
            self.assertEqual(header.get("Company"), company.name, sheet.title)
            self.assertEqual(header["Printed on"].date(), today, sheet.title)
            for label, value in (filters or {}).items():
                found = header.get(label)
                if isinstance(value, date) and not isinstance(value, datetime) and isinstance(found, datetime):
                    found = found.date()
                self.assertEqual(found, value, f"{sheet.title}: {label}")


def load_test_models(case):
    """Add the test models of ``tests/models.py`` to the registry for the
    test class ``case`` (odoo_test_helper), with access for internal users
    and the test document's sequence; the registry is restored after the class."""
    loader = FakeModelLoader(case.env, __name__)
    loader.backup_registry()
    from .models import (
        CtrlBaseTestDocument,
        CtrlBaseTestDocumentLine,
        CtrlBaseTestRecord,
        CtrlBaseTestRecordsBigXlsx,
        CtrlBaseTestRecordsXlsx,
    )

    loader.update_registry((CtrlBaseTestRecord, CtrlBaseTestDocument, CtrlBaseTestDocumentLine,
                            CtrlBaseTestRecordsXlsx, CtrlBaseTestRecordsBigXlsx))
    case.addClassCleanup(loader.restore_registry)
    internal = case.env.ref("base.group_user")
    case.env["ir.model.access"].create([{
        "name": f"{model} internal", "model_id": case.env["ir.model"]._get_id(model), "group_id": internal.id,
        "perm_read": True, "perm_write": True, "perm_create": True, "perm_unlink": True,
    } for model in ("ctrl.base.test.record", "ctrl.base.test.document", "ctrl.base.test.document.line")])
    case.env["ir.sequence"].create({"name": "Test document", "code": "ctrl.base.test.document", "prefix": "TD/",
                                    "padding": 4, "company_id": False})


class CtrlBaseCase(CtrlAssertMixin, TransactionCase):
    """Users and the test models (``tests/models.py``) for the ctrl_base mechanisms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_test_models(cls)
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.Record = cls.env["ctrl.base.test.record"]
        cls.company = cls.env.company
        cls.clerk = new_test_user(cls.env, "ctrl_clerk", groups="base.group_user,ctrl_base.group_ctrl_user")
        cls.manager = new_test_user(
            cls.env, "ctrl_sales_mgr", groups="base.group_user,ctrl_base.group_approver_sales_manager"
        )
        cls.gm = new_test_user(cls.env, "ctrl_gm", groups="base.group_user,ctrl_base.group_approver_gm")
        cls.admin_ctrl = new_test_user(cls.env, "ctrl_admin", groups="base.group_user,ctrl_base.group_ctrl_manager")
        cls.model = cls.env["ir.model"]._get("ctrl.base.test.record")

    @classmethod
    def _rule(cls, name, groups, amount_min=0.0, amount_max=0.0, kind="default", **vals):
        return cls.env["ctrl.approval.rule"].create({
            "name": name,
            "model_id": cls.model.id,
            "kind": kind,
            "amount_min": amount_min,
            "amount_max": amount_max,
            "step_ids": [(0, 0, {"name": g.name, "group_id": g.id, "sequence": i}) for i, g in enumerate(groups)],
            **vals,
        })


class CtrlGroupsTestMixin:
    """Checks an addon's access groups; mix into a TransactionCase and set
    ``user_group``, ``manager_group`` and ``native_group`` (xml ids)."""

    user_group = manager_group = native_group = None

    def test_groups_hierarchy(self):
        user_group, manager_group = self.env.ref(self.user_group), self.env.ref(self.manager_group)
        self.assertIn(user_group, manager_group.trans_implied_ids)
        self.assertIn(self.env.ref("ctrl_base.group_ctrl_user"), user_group.trans_implied_ids)
        self.assertIn(self.env.ref(self.native_group), user_group.trans_implied_ids | user_group)
        self.assertEqual(user_group.category_id.parent_id,
                         self.env.ref("ctrl_base.module_category_internal_control"))
        self.assertIn(self.env.ref("base.user_admin"), manager_group.users)

    def test_user_gets_internal_control_access(self):
        user = new_test_user(self.env, f"{self.user_group}_test", groups=self.user_group)
        self.assertTrue(user.has_group("ctrl_base.group_ctrl_user"))
        self.assertFalse(user.has_group(self.manager_group))
        self.assertTrue(self.env["ctrl.approval.request"].with_user(user).has_access("read"))
