#!/usr/bin/env python3
"""Run and test the site_* addons against the Odoo 19 that ``python3`` imports.

``make run`` and ``make test`` call this script; it never installs Odoo itself.
Settings come from the environment: DB, PORT, ADDONS, KEEP_DB, PGHOST, PGPORT,
PGUSER, PGPASSWORD; for ``make bench`` also BENCH_DB, BENCH_SKIP_PORTAL, BENCH_NO_SAVE.
"""

import argparse
import getpass
import importlib.metadata
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS_DIR = REPO / "addons"

INSTALL_HELP = """\
Odoo 19 is not importable by {python}.

These addons run inside Odoo 19.0 Community. Install it in one of these ways, then
run this command again:
  - official packages: https://nightly.odoo.com (Debian/Ubuntu .deb, 19.0);
  - the official Docker image: `docker compose up` in this repository uses it;
  - from source: clone Odoo 19.0, `pip install -r requirements.txt`, then
    `pip install --no-deps -e .` in the clone, so that `python3 -c "import odoo"` works.
"""

DEMO_LOGINS = [
    ("admin", "admin", "Odoo administrator, all sites"),
    ("site_admin", "site_admin", "Site Administrator"),
    ("site_manager", "site_manager", "Site Manager"),
    ("site_accountant", "site_accountant", "Site Accountant"),
    ("site_engineer", "site_engineer", "Site Engineer (meters and readings)"),
    ("site_board", "site_board", "Board Member (read only)"),
    ("resident_owner", "resident_owner", "portal: owner in the Turkish site"),
    ("resident_tenant", "resident_tenant", "portal: tenant in the Turkish site"),
    ("resident_pl", "resident_pl", "portal: owner in the Polish site (or M2's subscriber number)"),
    ("lawyer", "lawyer", "portal: lawyer"),
]


def say(message):
    print(f"[sitectl] {message}", flush=True)


def fail(message, code=1):
    print(f"[sitectl] ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


# --- Odoo ---------------------------------------------------------------


def require_odoo():
    """Stop with exit code 2 and install instructions when Odoo 19 is missing."""
    try:
        import odoo.release  # noqa: PLC0415
    except Exception:  # any import failure means the same thing to the user
        print(INSTALL_HELP.format(python=sys.executable), file=sys.stderr)
        sys.exit(2)
    if not odoo.release.version.startswith("19."):
        print(INSTALL_HELP.format(python=sys.executable), file=sys.stderr)
        fail(f"found Odoo {odoo.release.version}, these addons need 19.0", code=2)
    return odoo


def addons_path(odoo):
    """Our addons, Odoo's apps in either layout, and OCA wheels' namespace."""
    import odoo.addons  # noqa: PLC0415

    paths = [ADDONS_DIR]
    for package_dir in map(Path, odoo.__path__):
        source_tree_apps = package_dir.parent / "addons"  # git checkout layout
        if (source_tree_apps / "web" / "__manifest__.py").exists():
            paths.append(source_tree_apps)
    paths += [Path(p) for p in odoo.addons.__path__]  # packaged layout and OCA wheels
    unique = []
    for path in paths:
        if path.is_dir() and path.resolve() not in unique:
            unique.append(path.resolve())
    return ",".join(str(p) for p in unique)


def site_addons(selection):
    found = sorted(p.name for p in ADDONS_DIR.glob("site_*") if (p / "__manifest__.py").exists())
    if not selection:
        return found
    wanted = [name.strip() for name in selection.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in found]
    if unknown:
        fail(f"unknown addon(s) in ADDONS: {', '.join(unknown)}; available: {', '.join(found)}")
    return wanted


# --- Python requirements -------------------------------------------------


def install_requirements():
    """pip-install requirements.txt only when something in it is missing."""
    from packaging.requirements import Requirement  # noqa: PLC0415

    requirements_file = REPO / "requirements.txt"
    missing = []
    for line in requirements_file.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            version = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(line)
            continue
        if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
            missing.append(line)
    if missing:
        say(f"installing Python requirements: {', '.join(missing)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=True)
    install_collector()


def install_collector():
    """The on-site collector package of this repository, which site_metering imports.

    Installed editable and without dependencies (they are in requirements.txt), so the
    checkout's own code is what runs.
    """
    package = REPO / "site_collector"
    if not (package / "pyproject.toml").exists():
        return
    try:
        installed = Path(importlib.import_module("site_collector").__file__).resolve()
    except ImportError:
        installed = None
    if installed and package in installed.parents:
        return
    say("installing the site_collector package from this checkout")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "-e", str(package)],
        check=True,
    )


# --- PostgreSQL ------------------------------------------------------------


def open_registry(dbname, data_dir):
    """Odoo configured as the benchmark scripts run it (this machine's PostgreSQL, the
    suite's addons, warnings only) and ``dbname``'s registry."""
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    settings = pg_settings()
    options = ["--addons-path", addons_path(require_odoo())]
    options += ["--db_host", settings["host"], "--db_port", str(settings["port"])]
    options += ["--db_user", settings["user"], "--data-dir", data_dir, "--log-level", "warn"]
    if settings["password"]:
        options += ["--db_password", settings["password"]]
    config.parse_config(options, setup_logging=True)
    return Registry(dbname)


def pg_settings():
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": int(os.environ.get("PGPORT", "5432")),
        "user": os.environ.get("PGUSER") or getpass.getuser(),
        "password": os.environ.get("PGPASSWORD", ""),
    }


def pg_connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    settings = pg_settings()
    return psycopg2.connect(dbname=dbname, connect_timeout=5, **settings)


def start_local_cluster():
    """Start an installed Debian cluster that is down; True when one was started."""
    if not shutil.which("pg_lsclusters"):
        return False
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    started = False
    for line in listing.stdout.splitlines():
        version, name, _port, status = line.split()[:4]
        if status == "down":
            say(f"starting PostgreSQL cluster {version}/{name}")
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"], check=False
            )
            started = True
    return started


def require_postgres():
    settings = pg_settings()
    if settings["user"] == "postgres":
        fail(
            "Odoo refuses to run as the PostgreSQL user 'postgres': set PGUSER to another role "
            "that may create databases."
        )
    last_error = None
    for attempt in range(2):
        try:
            pg_connect().close()
            return settings
        except Exception as error:  # psycopg2.OperationalError and socket errors alike
            last_error = error
            if attempt == 0 and not start_local_cluster():
                break
            time.sleep(3)
    fail(
        f"PostgreSQL does not answer at {settings['host']}:{settings['port']} as "
        f"user {settings['user']!r}: {str(last_error).strip()}\n"
        "Start PostgreSQL, or point these variables at a server where that user may create "
        "databases: PGHOST, PGPORT, PGUSER (and PGPASSWORD)."
    )


def database_exists(name):
    with pg_connect() as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return cr.fetchone() is not None


def installed_modules(dbname, names):
    with pg_connect(dbname) as conn, conn.cursor() as cr:
        cr.execute("SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (list(names),))
        return dict(cr.fetchall())


def drop_database(name):
    conn = pg_connect()
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(odoo, dbname, extra):
    settings = pg_settings()
    command = [
        sys.executable,
        "-m",
        "odoo",
        "--addons-path",
        addons_path(odoo),
        "--db_host",
        settings["host"],
        "--db_port",
        str(settings["port"]),
        "--db_user",
        settings["user"],
        "-d",
        dbname,
        "--db-filter",
        f"^{re.escape(dbname)}$",
    ]
    if settings["password"]:
        command += ["--db_password", settings["password"]]
    return command + extra


# --- make run ---------------------------------------------------------------


def cmd_run(args):
    odoo = require_odoo()
    install_requirements()
    require_postgres()
    dbname = os.environ.get("DB") or "site_demo"
    port = os.environ.get("PORT") or "8069"
    modules = site_addons(os.environ.get("ADDONS"))
    if not database_exists(dbname):
        say(f"creating demo database {dbname!r} with {', '.join(modules)} and demo data")
        result = subprocess.run(
            odoo_command(
                odoo,
                dbname,
                [
                    "-i",
                    ",".join(modules),
                    "--with-demo",
                    "--stop-after-init",
                    "--load-language",
                    "tr_TR,pl_PL,uk_UA",
                ],
            )
        )
        states = installed_modules(dbname, modules) if database_exists(dbname) else {}
        if result.returncode or any(states.get(m) != "installed" for m in modules):
            drop_database(dbname)
            fail(f"could not create the demo database {dbname!r}; see the log above")
    url = f"http://127.0.0.1:{port}/odoo"
    print(f"\n  Odoo serves database {dbname!r} at {url}\n\n  Demo logins (login / password):")
    for login, password, role in DEMO_LOGINS:
        print(f"    {login:<16} {password:<16} {role}")
    print(flush=True)
    # queue_job's runner starts with the server, so that site_messaging's jobs run.
    command = odoo_command(
        odoo,
        dbname,
        ["--http-interface", "127.0.0.1", "--http-port", port, "--load", "base,rpc,web,queue_job"],
    )
    os.execv(command[0], command)


# --- make test -------------------------------------------------------------

TEST_START = re.compile(r" Starting \S+ \.\.\.$")
TEST_SKIP = re.compile(r"^\S+ \S+ \d+ INFO \S+ \S+: skipped ")
TEST_RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) \S+ (\S+): ")
# Odoo only warns when an addon's demo data fails, and installs it without: a failure here.
DEMO_FAILED = re.compile(r"Module (\S+) demo data failed to install")
# Failures logged by the tests themselves are counted in Odoo's own summary line.
TEST_LOGGER = re.compile(r"^odoo\.tests\b|\.tests\.")


# OCA addons our addons extend: their own tests must still pass with ours installed.
OCA_TESTS = {
    "site_accounting": (
        "account_statement_import_file",
        "account_statement_import_sheet_file",
        "account_statement_import_camt",
        "account_financial_report",
        "account_reconcile_oca",
    ),
    "site_helpdesk": (
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_rating",
        "helpdesk_type",
    ),
}


def run_odoo_tests(odoo, dbname, modules, data_dir, log_path):
    http_port = str(free_port())
    tested = list(modules)
    for module in modules:
        tested += OCA_TESTS.get(module, ())
    command = odoo_command(
        odoo,
        dbname,
        [
            "-i",
            ",".join(modules),
            "--with-demo",
            "--test-enable",
            "--test-tags",
            ",".join(f"/{m}" for m in tested),
            "--stop-after-init",
            "--log-level",
            "test",
            "--http-port",
            http_port,
            "--data-dir",
            data_dir,
            "--max-cron-threads",
            "0",
        ],
    )
    say(f"installing {', '.join(modules)} into {dbname!r} with the tests on; log: {log_path}")
    summary = {"run": 0, "failed": 0, "errors": 0, "skipped": 0, "problems": []}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        for line in process.stdout:
            log.write(line)
            stripped = line.rstrip("\n")
            if TEST_START.search(stripped) or LOG_PROBLEM.search(stripped) or " FAIL:" in stripped:
                print(stripped, flush=True)
            if TEST_SKIP.search(stripped):
                summary["skipped"] += 1
            result = TEST_RESULT.search(stripped)
            if result and "when loading database" in stripped:
                summary["failed"] += int(result.group(1))
                summary["errors"] += int(result.group(2))
                summary["run"] += int(result.group(3))
            else:
                problem = LOG_PROBLEM.search(stripped)
                if (problem and not TEST_LOGGER.search(problem.group(2))) or DEMO_FAILED.search(
                    stripped
                ):
                    summary["problems"].append(stripped)
        returncode = process.wait()
    states = installed_modules(dbname, modules) if database_exists(dbname) else {}
    not_installed = [m for m in modules if states.get(m) != "installed"]
    if not_installed:
        summary["problems"].append(f"not installed: {', '.join(not_installed)}")
    if returncode and not (summary["failed"] or summary["errors"] or summary["problems"]):
        summary["problems"].append(f"Odoo exited with code {returncode}")
    return summary


# The engines' tests, and the on-site collector package's own tests.
PYTEST_DIRS = ("tests", "site_collector/tests")


def run_pytest(junit_path):
    test_dirs = [REPO / name for name in PYTEST_DIRS if (REPO / name).is_dir()]
    if not any(path.rglob("test_*.py") for path in test_dirs):
        return {"passed": 0, "failed": 0, "skipped": 0}
    say(f"running the pytest suite under {', '.join(PYTEST_DIRS)}")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *map(str, test_dirs),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit_path}",
        ],
        cwd=REPO,
    )
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    if not Path(junit_path).exists():
        return {"passed": 0, "failed": 1, "skipped": 0}
    root = ET.parse(junit_path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return {"passed": total - failed - skipped, "failed": failed, "skipped": skipped}


def cmd_test(args):
    odoo = require_odoo()
    install_requirements()
    require_postgres()
    modules = site_addons(os.environ.get("ADDONS"))
    dbname = f"site_test_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    keep = os.environ.get("KEEP_DB") == "1"
    log_dir = REPO / "var"
    log_dir.mkdir(exist_ok=True)
    work_dir = Path(tempfile.mkdtemp(prefix="site_test_"))
    try:
        odoo_summary = run_odoo_tests(
            odoo, dbname, modules, str(work_dir / "data"), log_dir / "odoo-test.log"
        )
        pytest_summary = run_pytest(log_dir / "pytest.xml")
    finally:
        if keep:
            say(f"kept database {dbname!r} (KEEP_DB=1) and its filestore in {work_dir}")
        else:
            if database_exists(dbname):
                drop_database(dbname)
            shutil.rmtree(work_dir, ignore_errors=True)

    for problem in odoo_summary["problems"]:
        print(f"[sitectl] install or log error: {problem}", flush=True)
    odoo_failed = odoo_summary["failed"] + odoo_summary["errors"]
    odoo_passed = odoo_summary["run"] - odoo_failed - odoo_summary["skipped"]
    passed = odoo_passed + pytest_summary["passed"]
    failed = odoo_failed + len(odoo_summary["problems"]) + pytest_summary["failed"]
    skipped = odoo_summary["skipped"] + pytest_summary["skipped"]
    say(
        f"Odoo tests: {odoo_summary['run']} run, {odoo_failed} failed, "
        f"{odoo_summary['skipped']} skipped; pytest: {pytest_summary['passed']} passed, "
        f"{pytest_summary['failed']} failed, {pytest_summary['skipped']} skipped"
    )
    print(f"{passed} passed, {failed} failed, {skipped} skipped", flush=True)
    return 1 if failed or passed == 0 else 0


# --- make bench --------------------------------------------------------------


def run_collecting(command):
    """Run a benchmark script, its output shown as it comes; returns its exit code and
    the figures of the JSON line it ends with ({} without one)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1)
    figures = {}
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.startswith("{"):
            try:
                figures = json.loads(line)
            except ValueError:
                pass
    return process.wait(), figures


def cmd_bench(args):
    """Install site_dues and site_metering into a new database (BENCH_DB, or a dated
    name), run tools/bench.py, bench_messaging.py and bench_portal.py in it (the last
    skipped with BENCH_SKIP_PORTAL=1), print their figures beside the committed ones
    and write them to docs/bench/latest.json (not with BENCH_NO_SAVE=1)."""
    odoo = require_odoo()
    install_requirements()
    settings = require_postgres()
    modules = [m for m in site_addons(None) if m in ("site_dues", "site_metering")]
    dbname = os.environ.get("BENCH_DB") or (
        f"site_bench_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    )
    if database_exists(dbname):  # it is dropped at the end: never someone's database
        fail(f"database {dbname!r} exists already; BENCH_DB must name a new one")
    work_dir = Path(tempfile.mkdtemp(prefix="site_bench_"))
    say(f"installing {', '.join(modules)} into {dbname!r} (no demo data)")
    try:
        install = subprocess.run(
            odoo_command(
                odoo,
                dbname,
                [
                    "-i",
                    ",".join(modules),
                    "--stop-after-init",
                    "--log-level",
                    "warn",
                    "--data-dir",
                    str(work_dir),
                ],
            )
        )
        if install.returncode:
            fail("the benchmark database could not be created; see the log above")
        runs = [
            run_collecting(
                [
                    sys.executable,
                    str(REPO / "tools" / "bench.py"),
                    "--db",
                    dbname,
                    "--addons-path",
                    addons_path(odoo),
                    "--db-host",
                    settings["host"],
                    "--db-port",
                    str(settings["port"]),
                    "--db-user",
                    settings["user"],
                    "--no-compare",
                ]
            ),
            # Personalised SMS rendered and queued, in the same database (site_messaging
            # added); before the portal's, which commits a site of its own.
            run_collecting(
                [sys.executable, str(REPO / "tools" / "bench_messaging.py")]
                + ["--db", dbname, "--data-dir", str(work_dir)]
            ),
        ]
        if os.environ.get("BENCH_SKIP_PORTAL") == "1":
            say("the portal under load is skipped (BENCH_SKIP_PORTAL=1)")
        else:
            # The residents' portal under load, in the same database (site_portal added).
            runs.append(
                run_collecting(
                    [sys.executable, str(REPO / "tools" / "bench_portal.py")]
                    + ["--db", dbname, "--data-dir", str(work_dir)]
                )
            )
    finally:
        if os.environ.get("KEEP_DB") != "1" and database_exists(dbname):
            drop_database(dbname)
        shutil.rmtree(work_dir, ignore_errors=True)
    return report_bench(runs)


def report_bench(runs):
    """The figures of all scripts beside the committed ones; saved when all succeeded."""
    from bench import LATEST, print_comparison  # noqa: PLC0415

    figures = {}
    for _code, script_figures in runs:
        figures.update(script_figures)
    code = next((code for code, _figures in runs if code), 0)
    print()
    say("all figures, beside the last committed ones:")
    print_comparison(figures)
    if os.environ.get("BENCH_NO_SAVE") == "1":
        say(f"{LATEST} not written (BENCH_NO_SAVE=1)")
    elif code or not all(script_figures for _code, script_figures in runs):
        say(f"{LATEST} not written: a benchmark failed")
    else:
        latest = REPO / LATEST
        latest.parent.mkdir(parents=True, exist_ok=True)
        latest.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
        say(f"figures written to {LATEST}; commit it with the change they measure")
    return code


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["run", "test", "bench", "check"])
    args = parser.parse_args()
    if args.command == "check":
        odoo = require_odoo()
        require_postgres()
        print(addons_path(odoo))
        return 0
    return {"run": cmd_run, "test": cmd_test, "bench": cmd_bench}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
