#!/usr/bin/env python3
"""Benchmark of site_messaging: personalised SMS rendered and queued; run by `make bench`.

    python3 tools/bench_messaging.py [--db DB --data-dir DIR] [--messages 10000]

With ``--db`` (what `make bench` passes: its database, where site_dues is installed and
tools/bench.py has rolled its data back), installs site_messaging into it when missing;
without, creates a database of its own with site_messaging and drops it at the end
(KEEP_DB=1 keeps it). Builds tools/bench.py's Turkish site with MESSAGES units and
owners (a mobile number each, half of them writing Turkish, half English) and posts a
month of dues, then measures, in one transaction rolled back at the end:

- queue (``messaging_per_s``): a bulk send of an SMS template with merge fields (name,
  unit, balance, due date) to every owner through the log-only gateway, as the bulk
  send's button does it: the audience and its balances, every text rendered in its
  reader's language, the messages created and their jobs queued (one per 100);
- send (``messaging_send_per_s``): those jobs run in this process the way queue_job's
  runner runs them, each SMS handed to the log-only gateway and marked sent.

Prints a table and ends with one JSON line. BENCH_PROFILE=1 prints the most expensive
calls of each measured step (cProfile).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from argparse import Namespace
from datetime import date
from pathlib import Path

import sitectl
from bench import Bench, timed

TEMPLATE_EN = "Dear {{partner_name}}, flat {{unit}} owes {{balance}}, due {{due_date}}."
TEMPLATE_TR = (
    "Sayın {{partner_name}}, {{unit}} dairesinin borcu {{balance}}, son ödeme {{due_date}}."
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="make bench's database; default: a new one, dropped after")
    parser.add_argument("--data-dir", help="Odoo's data directory of --db")
    parser.add_argument(
        "--messages",
        type=int,
        default=int(os.environ.get("BENCH_MESSAGES", 10000)),
        help="owners, one SMS each",
    )
    return parser.parse_args()


def install_messaging(odoo, dbname, data_dir):
    sitectl.say(f"installing site_messaging into {dbname!r}")
    install = subprocess.run(
        sitectl.odoo_command(
            odoo,
            dbname,
            ["-i", "site_messaging", "--stop-after-init", "--log-level", "warn"]
            + ["--data-dir", data_dir],
        )
    )
    if install.returncode:
        sitectl.fail("site_messaging could not be installed; see the log above")


class MessagingBench:
    def __init__(self, env, args):
        self.args = args
        self.site_bench = Bench(env, Namespace(units=args.messages))
        self.figures = {"messages": args.messages}

    def build(self):
        bench = self.site_bench
        bench.build_site()
        self.env = env = bench.env
        site = bench.site
        env["res.lang"]._activate_lang("tr_TR")
        site.write(
            {
                "site_sms_provider": "log",
                "site_sms_sender": "BENCHSITE",
                "site_sms_segment_cost": 0.35,
                "site_quiet_start": 0.0,
                "site_quiet_end": 0.0,
            }
        )
        # test data: a mobile number and a language per owner in one statement
        env.cr.execute(
            """
            UPDATE res_partner
               SET phone = '+90 532 ' || lpad(id::text, 7, '0'),
                   lang = CASE WHEN id %% 2 = 0 THEN 'tr_TR' ELSE 'en_US' END
             WHERE id = ANY(%s)
            """,
            [bench.owners.ids],
        )
        env.invalidate_all()
        env["site.accrual.run"]._accrue(bench.plans[:1], date(2026, 12, 1))
        template = env["site.message.template"].create(
            {"name": "Balance", "company_id": site.id, "channel": "sms", "body": TEMPLATE_EN}
        )
        template.with_context(lang="tr_TR").body = TEMPLATE_TR
        self.wizard = env["site.message.wizard"].create(
            {"company_id": site.id, "template_id": template.id, "audience": "owner"}
        )
        env.flush_all()
        env.invalidate_all()

    def queue(self):
        def send():
            self.wizard.action_send()
            self.env.flush_all()

        _result, elapsed = timed(f"queue: {self.args.messages} personalised SMS", send)
        messages = self.wizard.message_ids
        self.jobs = self.env["queue.job"].search(
            [("model_name", "=", "site.message"), ("method_name", "=", "_job_send_sms")]
        )
        self.figures.update(
            messaging_queued=len(messages),
            messaging_jobs=len(self.jobs),
            messaging_queue_s=round(elapsed, 2),
            messaging_per_s=round(len(messages) / elapsed, 1),
        )

    def send(self):
        from odoo.addons.queue_job.job import Job  # noqa: PLC0415

        env = self.env

        def run_jobs():
            for uuid in self.jobs.mapped("uuid"):
                job = Job.load(env, uuid)
                job.set_started()
                job.store()
                job.perform()
                job.set_done()
                job.store()
            env.flush_all()

        _result, elapsed = timed(f"send: {len(self.jobs)} jobs to the log-only gateway", run_jobs)
        sent = env["site.message"].search_count(
            [("id", "in", self.wizard.message_ids.ids), ("state", "=", "sent")]
        )
        self.figures.update(
            messaging_sent=sent,
            messaging_send_s=round(elapsed, 2),
            messaging_send_per_s=round(sent / elapsed, 1),
        )


def run(args, data_dir):
    from odoo import api  # noqa: PLC0415

    registry = sitectl.open_registry(args.db, data_dir)
    with registry.cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
        bench = MessagingBench(env, args)
        print(f"Messaging benchmark: {args.messages} SMS (database {args.db})", flush=True)
        timed(f"setup: site, {args.messages} units and owners, a month of dues", bench.build)
        bench.queue()
        bench.send()
        cr.rollback()
    return bench.figures


def main():
    args = parse_args()
    odoo = sitectl.require_odoo()
    own_db = not args.db
    work_dir = Path(tempfile.mkdtemp(prefix="site_bench_messaging_"))
    data_dir = args.data_dir or str(work_dir / "data")
    if own_db:
        sitectl.install_requirements()
        sitectl.require_postgres()
        args.db = f"site_bench_messaging_{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"
    try:
        installed = {} if own_db else sitectl.installed_modules(args.db, ["site_messaging"])
        if installed.get("site_messaging") != "installed":
            install_messaging(odoo, args.db, data_dir)
        figures = run(args, data_dir)
    finally:
        if own_db and os.environ.get("KEEP_DB") != "1" and sitectl.database_exists(args.db):
            sitectl.drop_database(args.db)
        shutil.rmtree(work_dir, ignore_errors=True)
    print()
    print(f"  {'figure':<28} value")
    for key, value in figures.items():
        print(f"  {key:<28} {value}")
    print(json.dumps(figures), flush=True)
    return 0 if figures["messaging_sent"] == figures["messages"] else 1


if __name__ == "__main__":
    sys.exit(main())
