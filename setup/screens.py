#!/usr/bin/env python3
# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots of the demo database for docs/screens/: each demo role's main screen in English and in
Chinese, and the held-order banner. Runs against a running `setup/run` (headless chromium, Chrome's
DevTools protocol, as Odoo's browser tests do); each screen is checked as it is taken: an error dialog, a
technical name or Chinese text on an English screen is reported, and the run fails.

    setup/run &                                         # the demo database, served
    ~/.local/share/ctrl/venv/bin/python setup/screens.py [--url http://localhost:8069] [--db ctrl]
"""
import argparse
import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "addons" / "ctrl_base" / "tools"))
from demo_roles import DEMO_PASSWORD  # noqa: E402

WIDTH, HEIGHT = 1280, 800
LANGS = {"en": "en_US", "zh": "zh_CN"}
# login: (what the role opens first, a record to open in it as (model, domain) or None).
SCREENS = {
    "salesman": ("sale.action_quotations_with_onboarding", None),
    "sales.manager": ("ctrl_base.ctrl_approval_request_action_to_decide", None),
    "sales.vp": ("ctrl_credit.ctrl_credit_hold_action", None),
    "gm": ("ctrl_base.ctrl_approval_request_action_to_decide", None),
    "board": ("ctrl_base.ctrl_approval_request_action", None),
    "finance.director": ("ctrl_receivable.ctrl_provision_run_action",
                         ("ctrl.provision.run", [("state", "=", "to_approve")])),
    "accountant": ("ctrl_receivable.ctrl_aging_report_action",
                   ("ctrl.aging.report", [("kind", "=", "manual"), ("state", "=", "done")])),
    "dept.head": ("ctrl_base.ctrl_approval_request_action", None),
    "it.head": ("ctrl_backup.action_ctrl_backup_plan", None),
    "backup.operator": ("ctrl_backup.action_ctrl_backup_plan", None),
    "backup.checker": ("ctrl_backup.action_ctrl_backup_media", None),
    "6s.inspector": ("ctrl_sixs.ctrl_sixs_audit_action", None),
    "6s.area.owner": ("ctrl_sixs.ctrl_sixs_action_action", None),
    "6s.quality.director": ("ctrl_sixs.ctrl_sixs_publication_action", None),
    "6s.admin.director": ("ctrl_sixs.ctrl_sixs_ranking_action", None),
}
# The held-order banner: the salesman's quotation to the customer held for overdue invoices.
BANNER = ("salesman", "sale.action_quotations_with_onboarding",
          ("sale.order", [("partner_id.name", "=", "Nanjing Hengtai Building Materials"), ("state", "=", "draft")]))

TECHNICAL = re.compile(r"\bctrl[._][a-z_.]+|_ctrl_|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b|\b[a-z]+\.[a-z_.]+,\s?\d+\b")
CJK = re.compile(r"[\u3400-\u9fff]")
READY = """(() => {
    const view = document.querySelector('.o_action_manager .o_view_controller');
    return Boolean(view) && !document.querySelector('.o_loading_indicator, .o_blockUI, .o_view_sample_data_loading');
})()"""
# Text stored in the language of its writer or its reader at the time (Odoo keeps it so): the chatter, the
# activities' summaries. Checked for technical names only.
STORED = ".o-mail-Chatter, .o_field_widget[name='activity_ids']"
# What the user reads, without the stored text above.
SCREEN_TEXT = """(() => {
    const chatters = [...document.querySelectorAll("%s")];
    chatters.forEach((chatter) => chatter.style.setProperty('display', 'none', 'important'));
    const text = [...document.querySelectorAll('.o_action_manager, .o_dialog, .o_notification_manager')]
        .map((el) => el.innerText).join('\\n');
    chatters.forEach((chatter) => chatter.style.removeProperty('display'));
    return text;
})()""" % STORED
CHATTER_TEXT = "[...document.querySelectorAll(\"%s\")].map((el) => el.innerText).join('\\n')" % STORED


class Browser:
    """Headless chromium driven over the DevTools protocol."""

    def __init__(self, port=9373):
        self.profile = tempfile.mkdtemp(prefix="ctrl-screens-")
        self.process = subprocess.Popen(
            [shutil.which("chromium") or "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--hide-scrollbars", f"--remote-debugging-port={port}", f"--user-data-dir={self.profile}",
             f"--window-size={WIDTH},{HEIGHT}", "--lang=en-US", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _attempt in range(50):
            try:
                pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=1).json()
                page = next(p for p in pages if p["type"] == "page")
                break
            except (requests.RequestException, StopIteration):
                time.sleep(0.2)
        else:
            raise RuntimeError("chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def open(self, url, session_id):
        self.call("Network.clearBrowserCookies")
        self.call("Network.setCookie", name="session_id", value=session_id, url=url)
        self.call("Page.navigate", url=url)
        deadline = time.time() + 60
        while time.time() < deadline:
            time.sleep(0.5)
            if self.evaluate(READY):
                time.sleep(2.0)  # fonts, images and the last RPCs
                if self.evaluate(READY):
                    return
        raise RuntimeError(f"{url} did not finish loading")

    def screenshot(self):
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


class Odoo:
    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db

    def login(self, login, lang):
        session = requests.Session()
        response = session.post(f"{self.url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "params": {"db": self.db, "login": login, "password": DEMO_PASSWORD}}, timeout=60)
        result = response.json()
        if "error" in result or not result["result"].get("uid"):
            raise RuntimeError(f"{login} cannot log in: {result.get('error')}")
        uid = result["result"]["uid"]
        self.call(session, "res.users", "write", [[uid], {"lang": lang}])
        return session

    def call(self, session, model, method, args, kwargs=None):
        response = session.post(f"{self.url}/web/dataset/call_kw", json={
            "jsonrpc": "2.0", "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }, timeout=60).json()
        if "error" in response:
            raise RuntimeError(f"{model}.{method}: {response['error']['data']['message']}")
        return response["result"]

    def screen_url(self, session, action, record):
        url = f"{self.url}/odoo/action-{action}"
        if record:
            model, domain = record
            ids = self.call(session, model, "search", [domain], {"limit": 1, "order": "id desc"})
            if not ids:
                raise RuntimeError(f"no {model} matches {domain} for this user")
            url += f"/{ids[0]}"
        return url


def save_png(data, path):
    """The screenshot in at most 256 colours (Odoo's flat colours survive it), optimised."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)


def problems(text, lang):
    found = [f"a technical name: {match.group(0)!r}" for match in [TECHNICAL.search(text)] if match]
    if lang == "en_US" and CJK.search(text):
        start = max(CJK.search(text).start() - 40, 0)
        found.append(f"Chinese on an English screen: ...{text[start:start + 80]!r}...")
    if "Access Error" in text or "访问错误" in text:
        found.append("an access error")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=f"http://localhost:{os.environ.get('CTRL_PORT', '8069')}")
    parser.add_argument("--db", default=os.environ.get("CTRL_DB", "ctrl"))
    parser.add_argument("--out", default=str(REPO / "docs" / "screens"))
    parser.add_argument("--only", help="comma-separated logins")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    odoo = Odoo(options.url, options.db)
    shots = [(login, action, record, login.replace(".", "-")) for login, (action, record) in SCREENS.items()]
    shots.append((BANNER[0], BANNER[1], BANNER[2], "held-order-banner"))
    if options.only:
        shots = [shot for shot in shots if shot[0] in options.only.split(",")]
    browser = Browser()
    failed = []
    try:
        for login, action, record, name in shots:
            for suffix, lang in LANGS.items():
                session = odoo.login(login, lang)
                browser.open(odoo.screen_url(session, action, record), session.cookies["session_id"])
                path = out / f"{name}.{suffix}.png"
                save_png(browser.screenshot(), path)
                found = problems(browser.evaluate(SCREEN_TEXT) or "", lang)
                found += problems(browser.evaluate(CHATTER_TEXT) or "", "zh_CN")
                print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}: "
                      f"{'; '.join(found) or 'ok'}", flush=True)
                if found:
                    failed.append(path.name)
    finally:
        browser.close()
    if failed:
        sys.exit(f"{len(failed)} screens show a problem: {', '.join(failed)}")


if __name__ == "__main__":
    main()
