#!/usr/bin/env python3
"""Benchmarks of the site addons on a synthetic site; run by `make bench`.

    python3 tools/bench.py --db DB --addons-path PATHS [--units 10000]

Builds a Turkish site of UNITS units with owners and three accrual plans, then
measures, in one run: the monthly accrual of the three charge types (computed and
posted), Odoo's own invoice path (out_invoice create and post) for the same units as
the reference, the late-fee run over the open debts and, with site_metering, the
allocation of one heating bill over the units (5 heat cost allocators each, their
readings gathered, the Turkish 70/30 split with the 15 °C minimum) computed and posted.
Prints a table and ends with one JSON line of the figures.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from datetime import date
from pathlib import Path

ALLOCATORS_PER_UNIT = 5


REPO = Path(__file__).resolve().parent.parent


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
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    print(f"  {label:<46} {elapsed:8.2f} s", flush=True)
    return result, elapsed


class Bench:
    def __init__(self, env, args):
        self.env = env
        self.args = args
        self.figures = {"units": args.units}

    def build_site(self):
        env = self.env
        site = env["res.company"].create(
            {
                "name": "Bench Sitesi",
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
        env.flush_all()

    def accrual(self):
        runs, elapsed = timed(
            f"accrual: {self.args.units} units x 3 charge types",
            lambda: self.env["site.accrual.run"]._accrue(self.plans, date(2026, 12, 1)),
        )
        lines = sum(runs.mapped("line_count"))
        self.figures.update(
            accrual_s=round(elapsed, 2),
            accrual_lines=lines,
            accrual_lines_per_s=round(lines / elapsed, 1),
        )

    def odoo_invoices(self):
        env = self.env
        count = min(self.args.odoo_units, self.args.units)
        income = self.plans[0].charge_type_id.income_account_id
        values = [
            {
                "move_type": "out_invoice",
                "partner_id": owner.id,
                "invoice_date": date(2026, 12, 1),
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
            for owner in self.owners[:count]
        ]

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

    def late_fees(self):
        env = self.env
        if "site.late.fee.run" not in env:
            print("  late fees: site.late.fee.run is not installed, skipped")
            return
        # Open debts: earlier months accrued until there are enough of them.
        months_needed = -(-self.args.late_fee_debts // self.args.units)
        dues = self.plans[:1]
        timed(
            f"setup: {months_needed} months of dues as open debts",
            lambda: [
                env["site.accrual.run"]._accrue(dues, date(2025, month, 1))
                for month in range(1, months_needed + 1)
            ],
        )
        debts = env["account.move.line"].search_count(
            [
                ("site_unit_id", "!=", False),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("date", "<", date(2026, 1, 1)),
            ]
        )
        self.site.site_late_fee_method = "turkey"
        _run, elapsed = timed(
            f"late fees: {debts} open debts",
            lambda: env["site.late.fee.run"]._run(self.site, date(2026, 11, 30)),
        )
        self.figures.update(late_fee_debts=debts, late_fee_s=round(elapsed, 2))

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
        if "site.cost.allocation" not in env:
            print("  allocation: site_metering is not installed, skipped")
            return
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


def main():
    args = parse_args()
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    options = ["--addons-path", args.addons_path, "--db_host", args.db_host]
    options += ["--db_port", args.db_port, "--db_user", args.db_user, "--log-level", "warn"]
    config.parse_config(options, setup_logging=True)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        bench = Bench(env, args)
        print(f"Benchmark on {args.units} units (database {args.db})", flush=True)
        timed(f"setup: site, {args.units} units and owners", bench.build_site)
        bench.accrual()
        bench.odoo_invoices()
        bench.late_fees()
        bench.allocation()
        cr.rollback()
    bench.decoding()
    figures = bench.figures
    print()
    print(f"  {'figure':<28} value")
    for key, value in figures.items():
        print(f"  {key:<28} {value}")
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
