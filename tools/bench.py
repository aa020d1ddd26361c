#!/usr/bin/env python3
"""Benchmarks of the site addons on a synthetic site; run by `make bench`.

    python3 tools/bench.py --db DB --addons-path PATHS [--units 10000]

Builds a Turkish site of UNITS units with owners and three accrual plans, and a second
site of UNITS/2 units built the same way, then measures, in one run: the monthly accrual
of the three charge types (computed and posted) on both sites, with the process's peak
resident memory; Odoo's own invoice path (out_invoice create and post) for the same units
as the reference; PostgreSQL's own COPY rate into a table like account_move_line, the
physical limit every posting step is compared with; the late-fee run over the open debts,
and its fees posted once more through site.ledger alone (their floor); with
site_metering, the allocation of one heating bill over the units (5 heat cost allocators
each, their readings gathered, the Turkish 70/30 split with the 15 °C minimum) computed
and posted, on both sites. Each step's time at full size over its time at half size
(``*_growth``) shows whether it grows faster than the work. Prints a table of the figures
beside the last committed docs/bench/latest.json with the targets met or missed, and ends
with one JSON line of the figures.

BENCH_PROFILE=1 profiles every measured step: the 40 most expensive calls are printed and
the 8 functions with the most own time per step are written to var/bench-profile.txt.
"""

import argparse
import contextlib
import cProfile
import ctypes
import gc
import io
import json
import math
import os
import pstats
import re
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ALLOCATORS_PER_UNIT = 5
CHARGE_TYPES = 3  # the accrual plans: dues, heating, elevator
PG_COPY_REPEATS = 3  # the best of them is the limit

REPO = Path(__file__).resolve().parent.parent
LATEST = "docs/bench/latest.json"
PROFILE_FILE = REPO / "var" / "bench-profile.txt"

# Targets of issue 18, checked in the same run: (comparison, bound, condition on the
# figures for the target to apply, or None).
TARGETS = {
    "ratio_vs_odoo_invoices": (">=", 25, None),
    "accrual_growth": ("<=", 2.2, None),
    "late_fee_growth": ("<=", 2.2, None),
    "allocation_compute_growth": ("<=", 2.2, None),
    "allocation_post_growth": ("<=", 2.2, None),
    "late_fee_vs_accrual": ("<=", 0.2, None),
    "allocation_compute_vs_accrual": ("<=", 0.2, None),
    # the half site's peak against the full site's, when it has exactly half the units
    "accrual_peak_growth": ("<=", 1.3, lambda f: f.get("half_units", 0) * 2 == f.get("units")),
    # the set-up of the default 100,000 debts
    "late_fee_setup_s": ("<=", 60, lambda f: f.get("late_fee_debts") == 100000),
    "notice_pdf_vs_odoo_pdf": (">=", 1, None),
    "portal_goal_met": ("==", True, None),  # tools/bench_portal.py's own verdict
}
# The step summaries of this process, written by main() when profiling.
PROFILE_SUMMARIES = []


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    # BENCH_PROFILE=1 prints the 40 most expensive calls of every measured step.
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", required=True)
    parser.add_argument("--units", type=int, default=int(os.environ.get("UNITS", 10000)))
    parser.add_argument(
        "--odoo-units",
        type=int,
        default=int(os.environ.get("BENCH_ODOO_UNITS", 1000)),
        help="units billed through Odoo's invoice path; the time is scaled to --units",
    )
    parser.add_argument(
        "--late-fee-debts", type=int, default=int(os.environ.get("BENCH_LATE_FEE_DEBTS", 100000))
    )
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="a plain table, without the committed figures (make bench compares all at the end)",
    )
    return parser.parse_args()


def timed(label, function):
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    result = function()
    elapsed = time.perf_counter() - start
    if profiler:
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        PROFILE_SUMMARIES.append(profile_summary(label, elapsed, stats))
    print(f"  {label:<46} {elapsed:8.2f} s", flush=True)
    return result, elapsed


def profile_summary(label, elapsed, stats, top=8):
    """A profiled step as text: the ``top`` functions by own time (tottime), and the
    site addons' functions by cumulative time, which say on whose behalf it was spent."""
    lines = [f"## {label}: {elapsed:.2f} s (profiled)", "  tottime  cumtime     calls  function"]
    by_own = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)
    ours = sorted(
        (item for item in stats.stats.items() if "/addons/site_" in item[0][0]),
        key=lambda item: item[1][3],
        reverse=True,
    )
    for title, rows in (("", by_own[:top]), ("  site addons' functions by cumtime:", ours[:top])):
        if title and rows:
            lines.append(title)
        for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in rows:
            where = re.sub(r"^.*/(odoo/addons|odoo|addons|site-packages)/", "", filename)
            lines.append(
                f"  {tottime:7.2f}  {cumtime:7.2f}  {calls:8}  {function} ({where}:{line})"
            )
    return "\n".join(lines)


def memory_mb(field):
    """VmRSS, VmHWM... of this process, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


class PeakMemory:
    """The peak resident memory of this process while the block runs (MB).

    Resets the kernel's high-water mark (VmHWM) by writing 5 to /proc/self/clear_refs
    and reads it afterwards; where that is not allowed, a thread samples VmRSS every
    20 ms instead.
    """

    def __enter__(self):
        self.before = memory_mb("VmRSS")
        self.peak = self.before
        self._sampler = None
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            self._stop = threading.Event()
            self._sampler = threading.Thread(target=self._sample, daemon=True)
            self._sampler.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, memory_mb("VmRSS"))

    def __exit__(self, *_exc):
        if self._sampler:
            self._stop.set()
            self._sampler.join()
            self.peak = max(self.peak, memory_mb("VmRSS"))
        else:
            self.peak = memory_mb("VmHWM")
        return False


def as_a_new_job(env):
    """Start the next step as its queue job would: with the ORM's cache empty, and the
    memory the set-up left behind given back (glibc keeps freed memory otherwise), so
    that the step's peak memory is its own, not the size of the site the set-up built."""
    env.flush_all()
    env.invalidate_all()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the peak then includes the set-up's
        pass


def odoo_invoice_values(owners, income, day):
    """Odoo's reference for the accrual: an out_invoice per owner with the three charge
    types' lines, on ``income``, dated ``day``."""
    return [
        {
            "move_type": "out_invoice",
            "partner_id": owner.id,
            "invoice_date": day,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": label,
                        "price_unit": price,
                        "account_id": income.id,
                        "tax_ids": [(5, 0, 0)],
                    },
                )
                for label, price in (("Dues", 150.0), ("Heating", 90.0), ("Elevator", 12.0))
            ],
        }
        for owner in owners
    ]


def ratio(numerator, denominator, digits=2):
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)


def debt_schedule(units, debts):
    """[(month, number of plans)]: the months up to November 2026, the late-fee day's,
    that the late-fee set-up accrues, all three plans a month and as many as the rest
    needs in the last, so that a site of ``units`` units has ``debts`` open debts (and
    half as many on half the units). The late fees then go on the month's charge
    notices, as on a site billed every month. Raises when more than the 23 months from
    January 2025 are needed."""
    per_month = units * CHARGE_TYPES
    plans = [CHARGE_TYPES] * (debts // per_month)
    rest = debts - len(plans) * per_month
    if rest:
        plans.append(math.ceil(rest / units))
    if len(plans) > 23:
        raise SystemExit(
            f"{debts} debts need {len(plans)} months of {units} units: more than the 23 "
            "up to the late-fee day; set BENCH_LATE_FEE_DEBTS lower"
        )
    first = 2026 * 12 + 10 - len(plans) + 1  # November 2026 is 2026 * 12 + 10
    return [
        (date((first + index) // 12, (first + index) % 12 + 1, 1), count)
        for index, count in enumerate(plans)
    ]


class Bench:
    def __init__(self, env, args, name="Bench Sitesi"):
        self.env = env
        self.args = args
        self.name = name
        self.figures = {"units": args.units}

    def build_site(self):
        env = self.env
        site = env["res.company"].create(
            {
                "name": self.name,
                "is_site": True,
                "country_id": env.ref("base.tr").id,
                "currency_id": env.ref("base.TRY").id,
            }
        )
        env.user.company_ids |= site
        self.env = env = env(context=dict(env.context, allowed_company_ids=[site.id]))
        env["account.chart.template"].try_loading("tr", site, install_demo=False)
        site._site_dues_setup()
        self.site = site
        units_per_building = 500
        buildings = env["site.building"].create(
            [
                {"name": f"Blok {n}", "code": f"B{n}", "company_id": site.id}
                for n in range(1, self.args.units // units_per_building + 2)
            ]
        )
        unit_values = [
            {
                "code": f"B{n // units_per_building + 1}-{n % units_per_building + 1}",
                "company_id": site.id,
                "building_id": buildings[n // units_per_building].id,
                "area_net": 60.0 + n % 90,
                "land_share_numerator": 20 + n % 40,
                "land_share_denominator": 600000,
            }
            for n in range(self.args.units)
        ]
        self.units = env["site.unit"].create(unit_values)
        owners = env["res.partner"].create([{"name": f"Owner {n}"} for n in range(self.args.units)])
        env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)}
                for unit, owner in zip(self.units, owners)
            ]
        )
        self.owners = owners
        charge_type = {
            t.code: t for t in env["site.charge.type"].search([("company_id", "=", site.id)])
        }
        self.plans = env["site.accrual.plan"].create(
            [
                {
                    "name": name,
                    "company_id": site.id,
                    "charge_type_id": charge_type[code].id,
                    "date_start": date(2025, 1, 1),
                    "date_end": date(2026, 12, 1),
                    "amount_monthly": amount,
                    "allocation_key": key,
                }
                for name, code, amount, key in (
                    ("Dues", "DUES", 150.0 * self.args.units, "land_share"),
                    ("Heating", "HEAT", 90.0 * self.args.units, "area_net"),
                    ("Elevator", "ELEVATOR", 12.0 * self.args.units, "equal"),
                )
            ]
        )
        # also the hooks the new company left for the commit (its chart's last loading):
        # they would otherwise run inside the first timed step
        env.cr.flush()

    def accrual(self):
        as_a_new_job(self.env)
        with PeakMemory() as memory:
            runs, elapsed = timed(
                f"accrual: {self.args.units} units x 3 charge types",
                lambda: self.env["site.accrual.run"]._accrue(self.plans, date(2026, 12, 1)),
            )
        lines = sum(runs.mapped("line_count"))
        self.accrual_moves = runs.move_ids
        self.figures.update(
            accrual_s=round(elapsed, 2),
            accrual_lines=lines,
            accrual_move_lines=self._line_count(runs.move_ids),
            accrual_lines_per_s=round(lines / elapsed, 1),
            accrual_rss_before_mb=round(memory.before, 1),
            accrual_peak_mb=round(memory.peak, 1),
        )

    def _line_count(self, moves):
        """All the journal items of ``moves``, receivable and income lines."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM account_move_line WHERE move_id = ANY(%s)", [moves.ids]
        )
        return self.env.cr.fetchone()[0]

    def pdfs(self):
        """tools/bench_pdf.py's printing figures on this site, when that file exists."""
        if os.environ.get("BENCH_SKIP_PDF") == "1":
            print("  PDFs: skipped (BENCH_SKIP_PDF=1)", flush=True)
            return
        try:
            from bench_pdf import measure_pdfs  # noqa: PLC0415
        except ModuleNotFoundError as error:
            if error.name != "bench_pdf":
                raise
            print("  PDFs: tools/bench_pdf.py is not there, skipped", flush=True)
            return
        self.figures.update(measure_pdfs(self.env, self.site, self.units, self.owners))
        notice, odoo = (
            self.figures.get("notice_pdf_pages_per_s"),
            self.figures.get("odoo_invoice_pdf_pages_per_s"),
        )
        self.figures["notice_pdf_vs_odoo_pdf"] = ratio(notice, odoo)

    def pg_copy(self):
        """PostgreSQL's own insert rate: the accrual's journal items copied (COPY) into a
        scratch table like account_move_line, with its columns, defaults and indexes."""
        env = self.env
        cr = env.cr
        env.flush_all()
        source = io.BytesIO()
        cr._obj.copy_expert(
            cr._obj.mogrify(
                "COPY (SELECT * FROM account_move_line WHERE move_id = ANY(%s) ORDER BY id) "
                "TO STDOUT",
                [self.accrual_moves.ids],
            ).decode(),
            source,
        )
        rows = self.figures["accrual_move_lines"]
        cr.execute("CREATE TABLE bench_pg_copy (LIKE account_move_line INCLUDING ALL)")
        self._copy_missing_indexes()
        best = None
        for _repeat in range(PG_COPY_REPEATS):
            cr.execute("TRUNCATE bench_pg_copy")
            source.seek(0)
            start = time.perf_counter()
            cr._obj.copy_expert("COPY bench_pg_copy FROM STDIN", source)
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
        cr.execute("DROP TABLE bench_pg_copy")
        print(
            f"  {f'PostgreSQL COPY: {rows} journal items':<46} {best:8.2f} s "
            f"(best of {PG_COPY_REPEATS})",
            flush=True,
        )
        self.figures.update(pg_copy_rows=rows, pg_copy_rows_per_s=round(rows / best, 1))

    def _copy_missing_indexes(self):
        """The indexes of account_move_line that LIKE ... INCLUDING ALL did not bring."""
        cr = self.env.cr
        cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'account_move_line'")
        wanted = [row[0] for row in cr.fetchall()]
        cr.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'bench_pg_copy'")
        have = {self._index_shape(row[0]) for row in cr.fetchall()}
        for number, definition in enumerate(wanted):
            if self._index_shape(definition) not in have:
                definition = re.sub(r"INDEX \S+ ON", f"INDEX bench_pg_copy_{number} ON", definition)
                cr.execute(definition.replace("account_move_line", "bench_pg_copy", 1))
        cr.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'bench_pg_copy'")
        self.figures["pg_copy_indexes"] = cr.fetchone()[0]

    @staticmethod
    def _index_shape(definition):
        """An index definition without its name and table: what it indexes and how."""
        return re.sub(r"^.*? ON \S+", "", definition)

    def fraction_of_pg(self, lines, seconds):
        """Time PostgreSQL needs to COPY ``lines`` journal items over the step's time."""
        rate = self.figures.get("pg_copy_rows_per_s")
        if not rate or not seconds:
            return None
        return round(lines / rate / seconds, 3)

    def odoo_invoices(self):
        env = self.env
        as_a_new_job(env)
        count = min(self.args.odoo_units, self.args.units)
        income = self.plans[0].charge_type_id.income_account_id
        values = odoo_invoice_values(self.owners[:count], income, date(2026, 12, 1))

        def create_and_post():
            moves = env["account.move"].create(values)
            moves.action_post()
            env.flush_all()

        _moves, elapsed = timed(f"Odoo invoices: {count} units x 3 lines", create_and_post)
        scaled = elapsed * self.args.units / count
        self.figures.update(
            odoo_invoice_units=count,
            odoo_invoice_measured_s=round(elapsed, 2),
            odoo_invoice_s=round(scaled, 2),
            odoo_invoice_scaled=count != self.args.units,
            ratio_vs_odoo_invoices=round(scaled / self.figures["accrual_s"], 2),
        )

    def late_fee_setup(self, schedule):
        """Open debts: earlier months of the plans accrued through site_dues' own accrual
        (``schedule``: [(month, number of plans)]), each month's plans in one call.

        Also how much slower the last month of all three plans is than the first: a
        month's accrual should not cost more as the ledger grows."""
        months = f"{schedule[0][0]:%Y-%m} to {schedule[-1][0]:%Y-%m}"
        month_seconds = []

        def accrue_months():
            for month, plans in schedule:
                start = time.perf_counter()
                self.env["site.accrual.run"]._accrue(self.plans[:plans], month)
                if plans == CHARGE_TYPES:
                    month_seconds.append(time.perf_counter() - start)

        _result, elapsed = timed(
            f"setup: debts of {len(schedule)} months ({months})", accrue_months
        )
        self.figures["late_fee_setup_s"] = round(elapsed, 2)
        # The planner's statistics, as autovacuum keeps them on a live database: the
        # set-up's rows are not committed, so it cannot see them.
        self.env.flush_all()
        self.env.cr.execute("ANALYZE account_move_line, account_partial_reconcile")
        if len(month_seconds) > 1:
            print(
                f"    first month {month_seconds[0]:.2f} s, last month {month_seconds[-1]:.2f} s",
                flush=True,
            )
            self.figures["late_fee_setup_month_growth"] = ratio(month_seconds[-1], month_seconds[0])

    def late_fees(self):
        env = self.env
        self.site.site_late_fee_method = "turkey"
        as_a_new_job(env)
        run, elapsed = timed(
            f"late fees: site of {self.args.units} units",
            lambda: env["site.late.fee.run"]._run(self.site, date(2026, 11, 30)),
        )
        lines = self._line_count(run.move_ids)
        print(f"    {run.debt_count} open debts, {run.fee_count} fees, {lines} journal items")
        self.figures.update(
            late_fee_debts=run.debt_count,
            late_fee_s=round(elapsed, 2),
            late_fee_move_lines=lines,
        )
        self.late_fee_run = run

    def late_fee_posting(self):
        """The floor under the late fees: the run's fees posted once more through
        site.ledger alone, on the same notices, with no debt read and nothing computed,
        then rolled back. It is the path each accrual plan posts its charges by, so
        ``late_fee_posting_vs_accrual`` is what the late fees cost against the accrual
        before they read a single debt."""
        env, run = self.env, self.late_fee_run
        fee_type = self.site._site_late_fee_type()
        shares = [
            (
                line.unit_id.id,
                line.partner_id.id,
                fee_type.id,
                sum(line._debt_decimals().values()),
                run.name,
            )
            for line in run.line_ids
        ]
        due_date = run.date + timedelta(days=self.site.site_late_fee_due_days)

        def post():
            env["site.ledger"]._post_month(
                self.site, run.date.replace(day=1), due_date, shares, run.name, date=run.date
            )
            env.flush_all()  # the entries' totals, recomputed when flushed

        as_a_new_job(env)
        with contextlib.closing(env.cr.savepoint()):
            _result, elapsed = timed(f"late fees' posting alone: {len(shares)} fees", post)
        self.figures["late_fee_posting_s"] = round(elapsed, 2)

    def decoding(self):
        """M-Bus frames decoded per second by site_collector over the libmbus corpus."""
        from site_collector.bench import decode_throughput  # noqa: PLC0415

        corpus = Path(os.environ.get("SITE_CORPORA") or REPO.parent / "shared" / "corpora")
        if not (corpus / "libmbus" / "frames").is_dir():
            print(f"  decoding: no corpus at {corpus}, skipped", flush=True)
            self.figures["decode_frames_per_s"] = None
            return
        rate = decode_throughput(corpus / "libmbus", seconds=3.0)
        print(f"  {'decode M-Bus frames (libmbus corpus)':<46} {rate:8.0f} frames/s", flush=True)
        self.figures["decode_frames_per_s"] = round(rate)

    def allocation(self):
        env = self.env
        timed(
            f"setup: {len(self.units) * ALLOCATORS_PER_UNIT} allocators and their readings",
            self._build_allocators,
        )
        allocation = env["site.cost.allocation"].create(
            {
                "company_id": self.site.id,
                "date_from": date(2026, 11, 20),
                "date_to": date(2026, 12, 20),
                "period": date(2026, 12, 1),
                "amount_total": 95.0 * len(self.units),
                "part_ids": [
                    (
                        0,
                        0,
                        {
                            "part_type": "heating",
                            "method": "tr_heat",
                            "meter_kind": "hca",
                            "takes_rest": True,
                            "apply_minimum": True,
                            "minimum_factor": 0.5,
                        },
                    )
                ],
            }
        )
        env.flush_all()

        def compute():
            allocation.action_compute()
            env.flush_all()

        def post():
            allocation.action_post()
            env.flush_all()

        _result, compute_s = timed(
            f"allocation compute: {len(self.units)} units, {self.allocators} allocators", compute
        )
        _result, post_s = timed(f"allocation post: {allocation.line_count} shares", post)
        lines = len(allocation.move_ids.line_ids.filtered("site_unit_id"))
        self.figures["allocation_post_move_lines"] = self._line_count(allocation.move_ids)
        self.figures.update(
            allocation_units=len(self.units),
            allocation_allocators=self.allocators,
            allocation_penalised=allocation.penalised_count,
            allocation_compute_s=round(compute_s, 2),
            allocation_post_s=round(post_s, 2),
            allocation_post_lines_per_s=round(lines / post_s, 1),
        )

    def _build_allocators(self):
        """Allocators in one batched create; their readings inserted in SQL (test data)."""
        env = self.env
        from psycopg2.extras import execute_values  # noqa: PLC0415

        meters = (
            env["site.meter"]
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
            .create(
                [
                    {
                        "serial": f"HCA-{unit.code}-{n}",
                        "kind": "hca",
                        "unit_id": unit.id,
                        "company_id": self.site.id,
                        "room": f"Room {n}",
                        "kq": 0.8 + n / 10,
                        "kc": 1.0,
                    }
                    for unit in self.units
                    for n in range(1, ALLOCATORS_PER_UNIT + 1)
                ]
            )
        )
        env.flush_all()
        self.allocators = len(meters)
        rows = []
        for index, meter in enumerate(meters):
            factor = round(meter.kq * meter.kc * meter.kt, 6)
            # A few units use little: every 97th radiator stays almost cold.
            used = 2.0 if index % 97 == 0 else 50.0 + index * 37 % 400
            rows.append((meter.id, date(2026, 11, 20), 1000.0, 0.0, 0.0, True))
            rows.append((meter.id, date(2026, 12, 20), 1000.0 + used, used, used * factor, False))
        uid = env.uid
        execute_values(
            env.cr._obj,
            """
            INSERT INTO site_meter_reading (meter_id, company_id, unit_id, building_id, kind,
                date, value, consumption, consumption_value, is_initial, source, state,
                estimated, reader_id, create_uid, write_uid, create_date, write_date)
            SELECT v.meter_id, m.company_id, m.unit_id, m.building_id, m.kind, v.date, v.value,
                   v.used, v.used_value, v.initial, 'import', 'validated', false, v.uid, v.uid,
                   v.uid, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM (VALUES %s) AS v(meter_id, date, value, used, used_value, initial, uid)
              JOIN site_meter m ON m.id = v.meter_id
            """,
            [row + (uid,) for row in rows],
            template="(%s, %s::date, %s::float8, %s::float8, %s::float8, %s::boolean, %s)",
            page_size=5000,
        )
        env.invalidate_all()


def derived_figures(full, half):
    """The ratios of issue 18: growth from half to full size, shares of the accrual's
    time and fractions of PostgreSQL's own insert rate."""
    figures = {"half_units": half.get("units")}
    for name in (
        "accrual_s",
        "accrual_peak_mb",
        "late_fee_setup_s",
        "late_fee_s",
        "allocation_compute_s",
        "allocation_post_s",
    ):
        figures[f"half_{name}"] = half.get(name)
    figures.update(
        accrual_growth=ratio(full.get("accrual_s"), half.get("accrual_s")),
        late_fee_growth=ratio(full.get("late_fee_s"), half.get("late_fee_s")),
        allocation_compute_growth=ratio(
            full.get("allocation_compute_s"), half.get("allocation_compute_s")
        ),
        allocation_post_growth=ratio(full.get("allocation_post_s"), half.get("allocation_post_s")),
        accrual_peak_growth=ratio(full.get("accrual_peak_mb"), half.get("accrual_peak_mb")),
        late_fee_vs_accrual=ratio(full.get("late_fee_s"), full.get("accrual_s"), 3),
        late_fee_posting_vs_accrual=ratio(full.get("late_fee_posting_s"), full.get("accrual_s"), 3),
        allocation_compute_vs_accrual=ratio(
            full.get("allocation_compute_s"), full.get("accrual_s"), 3
        ),
    )
    return figures


def committed_figures():
    """The figures of docs/bench/latest.json as last committed ({} before the first)."""
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", f"HEAD:{LATEST}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode:
        return {}
    try:
        return json.loads(shown.stdout)
    except ValueError:
        return {}


def target_met(name, figures):
    """True/False for a figure with a target that applies, None otherwise (no target, no
    value, or a run the target is not for)."""
    value = figures.get(name)
    if name not in TARGETS or value is None:
        return None
    comparison, bound, applies = TARGETS[name]
    if applies and not applies(figures):
        return None
    if comparison == "==":
        return value == bound
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return value >= bound if comparison == ">=" else value <= bound


def print_comparison(figures, previous=None):
    """Each figure beside the last committed one, the change in % and its target."""
    previous = committed_figures() if previous is None else previous
    if not previous:
        print(f"  ({LATEST} is not committed yet: nothing to compare with)")
    elif previous.get("units") != figures.get("units"):
        print(
            f"  (the committed figures are of {previous.get('units')} units, these of "
            f"{figures.get('units')})"
        )
    print(f"  {'figure':<34} {'value':>12} {'committed':>12} {'change':>8}  target")
    missed = []
    for name, value in figures.items():
        before = previous.get(name)
        change = ""
        numbers = all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in (value, before)
        )
        if numbers and before:
            change = f"{(value - before) / abs(before) * 100:+.1f}%"
        met = target_met(name, figures)
        target = ""
        if name in TARGETS:
            comparison, bound, _applies = TARGETS[name]
            verdict = {True: "met", False: "MISSED", None: "n/a"}[met]
            target = f"{comparison} {bound} {verdict}"
            if met is False:
                missed.append(name)
        shown_before = "-" if before is None else before
        print(f"  {name:<34} {str(value):>12} {str(shown_before):>12} {change:>8}  {target}")
    checked = [name for name in TARGETS if target_met(name, figures) is not None]
    print(
        f"  targets: {len(checked) - len(missed)} of {len(checked)} met"
        + (f"; missed: {', '.join(missed)}" if missed else ""),
        flush=True,
    )


def write_profile():
    PROFILE_FILE.parent.mkdir(exist_ok=True)
    PROFILE_FILE.write_text(
        "# Per step of tools/bench.py: the 8 functions with the most own time (tottime, s),\n"
        "# then the site addons' 8 functions with the most cumulative time\n\n"
        + "\n\n".join(PROFILE_SUMMARIES)
        + "\n"
    )
    print(f"  profile summary of each step written to {PROFILE_FILE.relative_to(REPO)}")


def main():
    args = parse_args()
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    options = ["--addons-path", args.addons_path, "--db_host", args.db_host]
    options += ["--db_port", args.db_port, "--db_user", args.db_user, "--log-level", "warn"]
    config.parse_config(options, setup_logging=True)
    registry = Registry(args.db)
    half_args = argparse.Namespace(**{**vars(args), "units": args.units // 2})
    schedule = debt_schedule(args.units, args.late_fee_debts)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        bench = Bench(env, args)
        half = Bench(env, half_args, name="Bench Sitesi (half)")
        print(
            f"Benchmark on {args.units} units and, for the growth, {half_args.units} "
            f"(database {args.db})",
            flush=True,
        )
        timed(f"setup: site, {args.units} units and owners", bench.build_site)
        timed(f"setup: half site, {half_args.units} units and owners", half.build_site)
        # Each step at half size first: the full-size one runs as warm as the reference.
        half.accrual()
        bench.accrual()
        bench.odoo_invoices()
        bench.pg_copy()
        if "site.late.fee.run" in env:
            half.late_fee_setup(schedule)
            bench.late_fee_setup(schedule)
            half.late_fees()
            bench.late_fees()
            bench.late_fee_posting()
        else:
            print("  late fees: site.late.fee.run is not installed, skipped")
        if "site.cost.allocation" in env:
            half.allocation()
            bench.allocation()
        else:
            print("  allocation: site_metering is not installed, skipped")
        # last: the month's notices then have their heating shares and expense notices
        bench.pdfs()
        cr.rollback()
    bench.decoding()
    figures = bench.figures
    figures.update(derived_figures(figures, half.figures))
    figures.update(
        accrual_fraction_of_pg=bench.fraction_of_pg(
            figures["accrual_move_lines"], figures["accrual_s"]
        ),
        late_fee_fraction_of_pg=bench.fraction_of_pg(
            figures.get("late_fee_move_lines", 0), figures.get("late_fee_s")
        ),
        allocation_post_fraction_of_pg=bench.fraction_of_pg(
            figures.get("allocation_post_move_lines", 0), figures.get("allocation_post_s")
        ),
    )
    if PROFILE_SUMMARIES:
        write_profile()
    print()
    if args.no_compare:
        print(f"  {'figure':<34} value")
        for key, value in figures.items():
            print(f"  {key:<34} {value}")
    else:
        print_comparison(figures)
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
