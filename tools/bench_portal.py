#!/usr/bin/env python3
"""Load benchmark of the residents' portal (site_portal); run by `make bench` and
`make bench-portal`.

    python3 tools/bench_portal.py [--db DB --data-dir DIR]

With ``--db`` (what `make bench` passes: its database, where site_dues and
site_metering are installed and tools/bench.py has rolled its data back), installs
site_portal into it; without, creates a database of its own and drops it at the end
(KEEP_DB=1 keeps it). Builds the site with tools/bench.py's own set-up (UNITS units,
owners, December's dues, heating and elevator posted with their charge notices), plus
earlier months of dues, a payment of each resident, a cold-water meter per unit with
two years of monthly readings, and USERS portal users bound to units spread over the
site, with three Odoo customer invoices each. Then serves the database with Odoo in
threaded mode on a free port and runs locust headless (tools/locust_portal.py): USERS
residents log in once and browse home, their unit's statement, a charge notice's PDF,
the consumption page and Odoo's own /my/invoices as the reference under the same load.
Prints p50/p95 per page in a table, with each page's median queries and SQL time per
request (from the server's request log), and ends with one JSON line. The server listens
on a free port, or on BENCH_PORTAL_PORT (--port).

Why threaded and not --workers: the notice PDF's wkhtmltopdf fetches the report's CSS
from this same server, so N prefork workers all rendering PDFs wait on each other until
limit_time_real kills them; a threaded server (one Python process) has a thread for
each request. Python then uses one core, PostgreSQL, wkhtmltopdf and locust the other.
BENCH_PORTAL_WORKERS=N measures with prefork workers instead.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from argparse import Namespace
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

import sitectl
from bench import Bench, timed

REPO = Path(__file__).resolve().parent.parent
LOCUST_VENV = REPO / "var" / "locust-venv"
# In its own virtualenv: locust needs newer gevent, greenlet and Werkzeug than Odoo 19's.
LOCUST_REQUIREMENT = "locust>=2.40,<3"
PASSWORD = "bench-resident-2026"
# Locust's request names (tools/locust_portal.py) and their keys in the JSON line.
PAGES = {
    "portal home /my": "portal_home",
    "portal statement": "portal_statement",
    "portal notice PDF": "portal_notice_pdf",
    "portal consumption": "portal_consumption",
    "odoo /my/invoices": "odoo_my_invoices",
}
GOAL_MS = 300
# The server's request log line (werkzeug at INFO): path, then the request's query count,
# SQL seconds and other seconds; and the pages' paths, by their keys in the JSON line.
REQUEST_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" 200 - (\d+) ([\d.]+) ([\d.]+)')
PAGE_PATHS = {
    "portal_home": re.compile(r"/my"),
    "portal_statement": re.compile(r"/my/site/units/\d+"),
    "portal_notice_pdf": re.compile(r"/my/site/notices/\d+\?report_type=pdf"),
    "portal_consumption": re.compile(r"/my/site/units/\d+/consumption"),
    "odoo_my_invoices": re.compile(r"/my/invoices"),
}
READING_MONTHS = 24


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="make bench's database; default: a new one, dropped after")
    parser.add_argument("--data-dir", help="Odoo's data directory of --db")
    parser.add_argument("--units", type=int, default=int(os.environ.get("UNITS", 10000)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("BENCH_PORTAL_USERS", 50)))
    parser.add_argument(
        "--seconds",
        type=int,
        default=int(os.environ.get("BENCH_PORTAL_SECONDS", 60)),
        help="measured time, after every resident has logged in",
    )
    parser.add_argument(
        "--settle",
        type=int,
        default=int(os.environ.get("BENCH_PORTAL_SETTLE", 5)),
        help="seconds after the last login before the measure starts",
    )
    parser.add_argument(
        "--think",
        default=os.environ.get("BENCH_PORTAL_THINK", "5,15"),
        help="seconds a resident reads a page before the next: min,max",
    )
    parser.add_argument(
        "--dues-months",
        type=int,
        default=int(os.environ.get("BENCH_PORTAL_DUES_MONTHS", 5)),
        help="months of dues posted before December",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("BENCH_PORTAL_WORKERS", 0)),
        help="Odoo's --workers; 0: threaded",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORTAL_PORT", 0)),
        help="Odoo's HTTP port; 0: a free one",
    )
    return parser.parse_args()


# --- data ------------------------------------------------------------------------


class PortalData:
    """The bench's site (tools/bench.py) and what the residents browse."""

    def __init__(self, env, args):
        self.args = args
        self.bench = Bench(env, Namespace(units=args.units))

    def build(self):
        bench = self.bench
        timed(f"setup: site, {self.args.units} units and owners", bench.build_site)
        bench.accrual()
        self.env = env = bench.env
        dues = bench.plans[:1]
        months = range(12 - self.args.dues_months, 12)
        timed(
            f"setup: {len(months)} earlier months of dues",
            lambda: [env["site.accrual.run"]._accrue(dues, date(2026, m, 1)) for m in months],
        )
        step = max(1, len(bench.units) // self.args.users)
        picks = range(0, step * self.args.users, step)
        self.units = bench.units.browse([bench.units[i % len(bench.units)].id for i in picks])
        self.owners = bench.owners.browse([bench.owners[i % len(bench.owners)].id for i in picks])
        timed(f"setup: {self.args.users} portal users, 3 invoices each", self._residents)
        _result, elapsed = timed(
            f"setup: {self.args.users} payments posted and settled", self._payments
        )
        self.figures = {"portal_payments_post_s": round(elapsed, 2)}
        timed(
            f"setup: {len(bench.units)} water meters, {READING_MONTHS} months of readings",
            self._meters,
        )
        env.flush_all()

    def _residents(self):
        env = self.env
        site = self.bench.site
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": owner.name,
                        "login": f"resident{n}",
                        "partner_id": owner.id,
                        "company_id": site.id,
                        "company_ids": [(6, 0, site.ids)],
                        "group_ids": [(6, 0, env.ref("base.group_portal").ids)],
                    }
                    for n, owner in enumerate(self.owners, 1)
                ]
            )
        )
        # One hash for all: Odoo's 600,000 rounds take a while each.
        env.flush_all()
        env.cr.execute(
            "UPDATE res_users SET password = %s WHERE id = ANY(%s)",
            (users._crypt_context().hash(PASSWORD), users.ids),
        )
        income = self.bench.plans[0].charge_type_id.income_account_id
        invoices = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": owner.id,
                    "invoice_date": date(2026, month, 1),
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Parking",
                                "price_unit": 40.0,
                                "account_id": income.id,
                                "tax_ids": [(5, 0, 0)],
                            },
                        )
                    ],
                }
                for owner in self.owners
                for month in (9, 10, 11)
            ]
        )
        invoices.action_post()
        notices = env["site.charge.notice"].search(
            [("unit_id", "in", self.units.ids), ("period", "=", date(2026, 12, 1))]
        )
        notice_of = {(n.unit_id.id, n.partner_id.id): n.id for n in notices}
        invoice_of = {move.partner_id.id: move.name for move in invoices}
        self.accounts = [
            {
                "login": user.login,
                "password": PASSWORD,
                "unit_id": unit.id,
                "unit_code": unit.code,
                "notice_id": notice_of[unit.id, owner.id],
                "invoice": invoice_of[owner.id],
            }
            for user, unit, owner in zip(users, self.units, self.owners)
        ]

    def _payments(self):
        """A payment of each resident, settled with their oldest charges by site_dues."""
        env = self.env
        site = self.bench.site
        bank = env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "bank")], limit=1
        )
        payments = env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": owner.id,
                    "amount": 250.0,
                    "date": date(2026, 9, 15),
                    "journal_id": bank.id,
                    "site_unit_id": unit.id,
                }
                for unit, owner in zip(self.units, self.owners)
            ]
        )
        payments.action_post()

    def _meters(self):
        """A cold-water meter per unit and its monthly readings (inserted in SQL, as
        tools/bench.py does): the consumption page's months and building average."""
        from psycopg2.extras import execute_values  # noqa: PLC0415

        env = self.env
        units = self.bench.units
        meters = (
            env["site.meter"]
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
            .create(
                [
                    {
                        "serial": f"CW-{unit.code}",
                        "kind": "cold_water",
                        "unit_id": unit.id,
                        "company_id": self.bench.site.id,
                    }
                    for unit in units
                ]
            )
        )
        env.flush_all()
        # Read on the 25th of each month, the first (initial) one two years before November.
        days = [date(2024, 11, 25) + relativedelta(months=n) for n in range(READING_MONTHS + 1)]
        rows = []
        for index, meter_id in enumerate(meters.ids):
            value = 100.0
            rows.append((meter_id, days[0], value, 0.0, True, env.uid))
            for day in days[1:]:
                used = 4.0 + index % 7 + (3.0 if day.month in (6, 7, 8) else 0.0)
                value += used
                rows.append((meter_id, day, value, used, False, env.uid))
        execute_values(
            env.cr._obj,
            """
            INSERT INTO site_meter_reading (meter_id, company_id, unit_id, building_id, kind,
                date, value, consumption, consumption_value, is_initial, source, state,
                estimated, reader_id, create_uid, write_uid, create_date, write_date)
            SELECT v.meter_id, m.company_id, m.unit_id, m.building_id, m.kind, v.date, v.value,
                   v.used, v.used, v.initial, 'import', 'validated', false, v.uid, v.uid,
                   v.uid, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM (VALUES %s) AS v(meter_id, date, value, used, initial, uid)
              JOIN site_meter m ON m.id = v.meter_id
            """,
            rows,
            template="(%s, %s::date, %s::float8, %s::float8, %s::boolean, %s)",
            page_size=5000,
        )
        env.cr.execute(
            """
            UPDATE site_meter_reading r SET previous_reading_id = p.previous_id
              FROM (SELECT id, LAG(id) OVER (PARTITION BY meter_id ORDER BY date) AS previous_id
                      FROM site_meter_reading WHERE meter_id = ANY(%s)) p
             WHERE r.id = p.id AND p.previous_id IS NOT NULL
            """,
            (meters.ids,),
        )
        env.cr.execute("ANALYZE")
        env.invalidate_all()


def build_data(args, data_dir, url):
    """Build and commit the data; returns the residents' accounts and set-up figures."""
    from odoo import api  # noqa: PLC0415

    registry = sitectl.open_registry(args.db, data_dir)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        data = PortalData(env, args)
        data.build()
        # wkhtmltopdf fetches the report's CSS from this address.
        env["ir.config_parameter"].set_param("report.url", url)
        env["ir.config_parameter"].set_param("web.base.url", url)
    registry.delete_all()
    from odoo.sql_db import close_all  # noqa: PLC0415

    close_all()
    return data.accounts, data.figures


# --- server and load ---------------------------------------------------------------


def locust_binary():
    """locust in var/locust-venv, made on the first run."""
    binary = LOCUST_VENV / "bin" / "locust"
    if not binary.exists():
        sitectl.say(f"installing {LOCUST_REQUIREMENT} into {LOCUST_VENV} (once)")
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)
        subprocess.run(
            [str(LOCUST_VENV / "bin" / "python"), "-m", "pip", "install", "-q", LOCUST_REQUIREMENT],
            check=True,
        )
    return binary


def install_portal(odoo, dbname, data_dir, port):
    sitectl.say(f"installing site_portal into {dbname!r}")
    install = subprocess.run(
        sitectl.odoo_command(
            odoo,
            dbname,
            ["-i", "site_portal", "--stop-after-init", "--log-level", "warn"]
            + ["--data-dir", data_dir, "--http-port", str(port)],
        )
    )
    if install.returncode:
        sitectl.fail("site_portal could not be installed; see the log above")


def start_server(odoo, args, data_dir, port, log_path):
    extra = ["--http-interface", "127.0.0.1", "--http-port", str(port)]
    extra += ["--workers", str(args.workers), "--max-cron-threads", "0"]
    extra += ["--data-dir", data_dir, "--log-level", "warn", "--logfile", str(log_path)]
    # Each request's query count and SQL time, for server_figures().
    extra += ["--log-handler", "werkzeug:INFO"]
    if args.workers:
        extra += ["--gevent-port", str(sitectl.free_port())]
    server = subprocess.Popen(sitectl.odoo_command(odoo, args.db, extra))
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sitectl.fail(f"the Odoo server stopped at start; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5):
                return server
        except OSError:
            time.sleep(1)
    server.terminate()
    sitectl.fail(f"the Odoo server did not answer on port {port}; see {log_path}")


def warm_up(url, db, account):
    """One resident's visit before measuring: bundles, report assets and caches built."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    params = {"db": db, "login": account["login"], "password": account["password"]}
    body = {"jsonrpc": "2.0", "method": "call", "params": params}
    login = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(login, timeout=120) as response:
        if not json.load(response).get("result"):
            sitectl.fail(f"the resident {account['login']} cannot log in")
    for path in (
        "/my",
        f"/my/site/units/{account['unit_id']}",
        f"/my/site/notices/{account['notice_id']}?report_type=pdf",
        f"/my/site/units/{account['unit_id']}/consumption",
        "/my/invoices",
    ):
        with opener.open(url + path, timeout=300) as response:
            response.read()


def run_locust(args, url, accounts_path, stats_prefix, log_path):
    """Locust headless; it measures for args.seconds once every resident has logged in
    (see tools/locust_portal.py), within a generous cap for spawning and logins."""
    environment = dict(
        os.environ,
        SITE_BENCH_ACCOUNTS=str(accounts_path),
        SITE_BENCH_DB=args.db,
        SITE_BENCH_THINK=args.think,
        SITE_BENCH_SECONDS=str(args.seconds),
        SITE_BENCH_SETTLE=str(args.settle),
    )
    command = [str(locust_binary()), "-f", str(REPO / "tools" / "locust_portal.py")]
    command += ["--headless", "--host", url, "-u", str(args.users), "-r", "10"]
    command += ["-t", f"{args.seconds + args.settle + 300}s", "--stop-timeout", "30"]
    command += ["--json-file", str(stats_prefix), "--only-summary", "--loglevel", "WARNING"]
    with open(log_path, "w") as log:
        code = subprocess.run(command, env=environment, stdout=log, stderr=log).returncode
    if code not in (0, 1):  # 1: some requests failed, counted below
        sitectl.fail(f"locust stopped with exit code {code}; see {log_path}")


def machine_load():
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return None


def percentile(entry, fraction):
    """Locust's own percentile of a stats entry (its histogram keeps response times above
    100 ms to two significant digits)."""
    times = sorted(
        ((int(ms), count) for ms, count in entry["response_times"].items()), reverse=True
    )
    total, rank, seen = entry["num_requests"], int(entry["num_requests"] * fraction), 0
    for ms, count in times:
        seen += count
        if total - seen <= rank:
            return ms
    return None


def server_figures(log_path, offset):
    """{key: (median queries, median SQL ms)} of each page's requests in the server's log
    from ``offset`` on: what a request costs the database, apart from waiting."""
    samples = {key: [] for key in PAGE_PATHS}
    with open(log_path, errors="replace") as log:
        log.seek(offset)
        for line in log:
            found = REQUEST_LINE.search(line)
            if not found:
                continue
            for key, pattern in PAGE_PATHS.items():
                if pattern.fullmatch(found[1]):
                    samples[key].append((int(found[2]), float(found[3]) * 1000))
    return {
        key: (
            round(statistics.median(queries for queries, _ms in rows)),
            round(statistics.median(ms for _queries, ms in rows), 1),
        )
        for key, rows in samples.items()
        if rows
    }


def figures_of(stats):
    """{page: (requests, failures, p50, p95)} and the totals of locust's JSON stats."""
    by_name = {entry["name"]: entry for entry in stats}
    pages = {}
    for name in PAGES:
        entry = by_name.get(name)
        if not entry or not entry["num_requests"]:
            pages[name] = (0, entry["num_failures"] if entry else 0, None, None)
            continue
        pages[name] = (
            entry["num_requests"],
            entry["num_failures"],
            percentile(entry, 0.5),
            percentile(entry, 0.95),
        )
    measured = [by_name[name] for name in PAGES if name in by_name]
    seconds = (
        max((e["last_request_timestamp"] or 0) for e in measured)
        - min(e["start_time"] for e in measured)
        if measured
        else 0
    )
    requests = sum(e["num_requests"] for e in measured)
    failures = sum(e["num_failures"] for e in stats)  # logins too
    return pages, requests, failures, round(requests / seconds, 1) if seconds else 0.0


# --- main ------------------------------------------------------------------------


def main():
    args = parse_args()
    odoo = sitectl.require_odoo()
    own_db = not args.db
    work_dir = Path(tempfile.mkdtemp(prefix="site_bench_portal_"))
    data_dir = args.data_dir or str(work_dir / "data")
    if own_db:
        sitectl.install_requirements()
        sitectl.require_postgres()
        args.db = f"site_bench_portal_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    locust_binary()
    port = args.port or sitectl.free_port()
    url = f"http://127.0.0.1:{port}"
    server = None
    try:
        installed = {} if own_db else sitectl.installed_modules(args.db, ["site_portal"])
        if installed.get("site_portal") != "installed":
            install_portal(odoo, args.db, data_dir, port)
        print(
            f"Portal load benchmark on {args.units} units, {args.users} residents "
            f"(database {args.db})",
            flush=True,
        )
        accounts, setup_figures = build_data(args, data_dir, url)
        accounts_path = work_dir / "accounts.json"
        accounts_path.write_text(json.dumps(accounts))
        log_path = REPO / "var" / "bench-portal-odoo.log"
        log_path.parent.mkdir(exist_ok=True)
        server = start_server(odoo, args, data_dir, port, log_path)
        timed("warm-up: one resident's visit", lambda: warm_up(url, args.db, accounts[0]))
        mode = f"{args.workers} workers" if args.workers else "threaded"
        print(
            f"  locust: {args.users} residents, {args.seconds} s after their logins, "
            f"think time {args.think.replace(',', '-')} s, Odoo {mode}",
            flush=True,
        )
        log_offset = log_path.stat().st_size if log_path.exists() else 0
        run_locust(
            args, url, accounts_path, work_dir / "locust", REPO / "var" / "bench-portal-locust.log"
        )
        stats = json.loads((work_dir / "locust.json").read_text())
        per_request = server_figures(log_path, log_offset)
        load = machine_load()
    finally:
        if server:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        if own_db and os.environ.get("KEEP_DB") != "1" and sitectl.database_exists(args.db):
            sitectl.drop_database(args.db)
        shutil.rmtree(work_dir, ignore_errors=True)

    pages, requests, failures, rate = figures_of(stats)
    figures = {"portal_units": args.units, "portal_users": args.users, "portal_server": mode}
    figures.update(portal_think_s=args.think, **setup_figures)
    print()
    print(
        f"  {'page':<22} {'requests':>9} {'failures':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'queries':>8} {'SQL ms':>8}"
    )
    for name, (count, failed, p50, p95) in pages.items():
        key = PAGES[name]
        queries, sql_ms = per_request.get(key, (None, None))
        print(
            f"  {name:<22} {count:>9} {failed:>9} {p50 or '-':>8} {p95 or '-':>8} "
            f"{queries or '-':>8} {sql_ms or '-':>8}"
        )
        figures.update({f"{key}_requests": count, f"{key}_p50_ms": p50, f"{key}_p95_ms": p95})
        figures.update({f"{key}_queries": queries, f"{key}_sql_ms": sql_ms})
    figures.update(portal_requests=requests, portal_failures=failures, portal_requests_per_s=rate)
    figures["machine_load_1m"] = load  # the machine's load average as the run ended
    reference = figures["odoo_my_invoices_p95_ms"]
    figures["portal_goal_met"] = all(
        figures[f"{key}_p95_ms"] is not None
        and reference is not None
        and figures[f"{key}_p95_ms"] <= min(reference, GOAL_MS)
        for key in ("portal_home", "portal_statement")
    )
    print()
    print(f"  {'figure':<28} value")
    for key, value in figures.items():
        print(f"  {key:<28} {value}")
    print(json.dumps(figures), flush=True)
    return 1 if failures or not requests else 0


if __name__ == "__main__":
    sys.exit(main())
