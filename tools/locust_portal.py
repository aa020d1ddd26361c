"""Locust load of the residents' portal; tools/bench_portal.py runs it.

Runs inside the benchmark's own locust virtualenv (locust's gevent and Werkzeug releases
are not the ones Odoo 19 pins), so it imports nothing of Odoo. Each simulated resident
takes one of the bench's portal accounts from the JSON file named by
``SITE_BENCH_ACCOUNTS``, logs in once, then browses with a think time: home, the unit's
statement, a charge notice's PDF, the consumption page and, as the reference under the
same load, Odoo's own /my/invoices. The statistics start SITE_BENCH_SETTLE seconds (5)
after every resident has logged in: a login checks a 600,000-round password hash, which is
not what is measured, and the pages asked for during the logins would be counted with the
time they waited behind them.
"""

import itertools
import json
import os
from pathlib import Path

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

ACCOUNTS = json.loads(Path(os.environ["SITE_BENCH_ACCOUNTS"]).read_text())
DATABASE = os.environ["SITE_BENCH_DB"]
MEASURED_SECONDS = float(os.environ.get("SITE_BENCH_SECONDS", "60"))
SETTLE_SECONDS = float(os.environ.get("SITE_BENCH_SETTLE", "5"))
# Seconds a resident reads a page before the next one: "min,max".
THINK_MIN, THINK_MAX = map(float, os.environ.get("SITE_BENCH_THINK", "5,15").split(","))

_next_account = itertools.cycle(ACCOUNTS).__next__
_logged_in = itertools.count(1)


class Resident(HttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self):
        self.account = _next_account()
        with self.client.post(
            "/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "db": DATABASE,
                    "login": self.account["login"],
                    "password": self.account["password"],
                },
            },
            name="login",
            catch_response=True,
        ) as response:
            result = response.json().get("result") if response.status_code == 200 else None
            if not result or not result.get("uid"):
                response.failure(f"login of {self.account['login']} refused: {response.text[:200]}")
                raise StopUser()
        if next(_logged_in) == self.environment.parsed_options.num_users:
            gevent.spawn_later(SETTLE_SECONDS, self.environment.stats.reset_all)
            gevent.spawn_later(SETTLE_SECONDS + MEASURED_SECONDS, self.environment.runner.quit)

    def _get(self, path, name, marker=None, pdf=False):
        """GET a page of the resident's own; a redirect (to the login page), an error or
        a page without ``marker`` (their unit code, an invoice number) is a failure."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")
            elif pdf and not resp.content.startswith(b"%PDF"):
                resp.failure("not a PDF")
            elif marker and marker not in resp.text:
                resp.failure(f"{marker!r} is not on the page")

    @task(2)
    def home(self):
        self._get("/my", "portal home /my", self.account["unit_code"])

    @task(2)
    def statement(self):
        unit = self.account["unit_id"]
        self._get(f"/my/site/units/{unit}", "portal statement", self.account["unit_code"])

    @task(1)
    def notice_pdf(self):
        notice = self.account["notice_id"]
        self._get(f"/my/site/notices/{notice}?report_type=pdf", "portal notice PDF", pdf=True)

    @task(1)
    def consumption(self):
        unit = self.account["unit_id"]
        self._get(
            f"/my/site/units/{unit}/consumption", "portal consumption", self.account["unit_code"]
        )

    @task(2)
    def odoo_invoices(self):
        self._get("/my/invoices", "odoo /my/invoices", self.account["invoice"])
