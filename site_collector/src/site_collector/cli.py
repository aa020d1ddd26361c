"""Command line: ``site-collector decode|scan|read|run|upload``.

Configuration (``--config``, JSON)::

    {"collector": "block-a", "server": "https://odoo.example.com",
     "api_key": "...", "queue": "/var/lib/site-collector/queue.sqlite3",
     "port": "socket://10.0.0.5:10001", "baudrate": 2400, "timeout": 1.0,
     "interval": 900, "meters": [{"address": 5}, {"secondary": "12345678FFFFFFFF"}]}

``api_key`` may be left out and given in the environment as ``SITE_COLLECTOR_API_KEY``.
"""

import argparse
import json
import os
import sys
import time

from .errors import DecodeError
from .frame import decode_frame
from .mbus import MBusMaster, NoAnswer
from .spool import Spool, utc_now
from .upload import UploadError, make_reading, upload_pending
from .wmbus import decode_telegram, parse_hex

DEFAULTS = {
    "collector": "site-collector",
    "queue": "site-collector-queue.sqlite3",
    "baudrate": 2400,
    "timeout": 1.0,
    "retries": 3,
    "interval": 900,
    "meters": [],
}


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args) or 0
    except (DecodeError, UploadError, NoAnswer, OSError, ValueError) as exc:
        print(f"site-collector: {exc}", file=sys.stderr)
        return 2


def _parser():
    parser = argparse.ArgumentParser(prog="site-collector", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    decode = commands.add_parser("decode", help="decode one frame given in hex")
    decode.add_argument("file", help="file with the frame in hex, or - for stdin")
    decode.add_argument("--wmbus", action="store_true", help="a wireless M-Bus telegram")
    decode.add_argument("--key", help="AES-128 key of the meter, 32 hex digits")
    decode.set_defaults(handler=cmd_decode)

    for name, handler, text in (
        ("scan", cmd_scan, "search the bus for secondary addresses"),
        ("read", cmd_read, "read meters given by address or in the config"),
        ("run", cmd_run, "read on a schedule into the queue and upload"),
        ("upload", cmd_upload, "send the queued readings"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--config", help="JSON configuration file")
        sub.set_defaults(handler=handler)
        if name != "upload":
            sub.add_argument("--port", help="serial device or socket://host:port")
            sub.add_argument("--baudrate", type=int)
            sub.add_argument("--timeout", type=float, help="seconds to wait for an answer")
        if name in ("read", "run"):
            sub.add_argument("--address", type=int, action="append", default=[])
            sub.add_argument("--secondary", action="append", default=[])
        if name in ("read", "run", "upload"):
            sub.add_argument("--queue", help="SQLite queue file")
            sub.add_argument("--dry-run", action="store_true", help="print, do not send")
        if name in ("run", "upload"):
            sub.add_argument("--server", help="Odoo base URL")
        if name == "read":
            sub.add_argument("--enqueue", action="store_true", help="also queue the readings")
        if name == "run":
            sub.add_argument("--once", action="store_true", help="one cycle, then exit")
    return parser


def load_config(args):
    config = dict(DEFAULTS)
    if getattr(args, "config", None):
        with open(args.config, encoding="utf-8") as handle:
            config.update(json.load(handle))
    for option in ("port", "baudrate", "timeout", "queue", "server"):
        if getattr(args, option, None) is not None:
            config[option] = getattr(args, option)
    extra = [{"address": a} for a in getattr(args, "address", [])]
    extra += [{"secondary": s} for s in getattr(args, "secondary", [])]
    if extra:
        config["meters"] = extra
    config.setdefault("api_key", os.environ.get("SITE_COLLECTOR_API_KEY"))
    return config


def cmd_decode(args):
    text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="ascii").read()
    if args.wmbus:
        data, decrypted = parse_hex(text)
        key = bytes.fromhex(args.key) if args.key else None
        reading = decode_telegram(data, key=key, decrypted=decrypted)
    else:
        reading = decode_frame(bytes.fromhex("".join(text.split())))
    print(json.dumps(reading, ensure_ascii=False, indent=2))


def _master(config):
    if not config.get("port"):
        raise ValueError('no port given (--port or "port" in the config)')
    return MBusMaster(
        config["port"], config["baudrate"], config["timeout"], config.get("retries", 3)
    )


def cmd_scan(args):
    config = load_config(args)
    with _master(config) as master:
        for address in master.scan_secondary():
            print(address)


def read_meters(config):
    """Read every configured meter once; failures become readings with an ``error``."""
    readings = []
    with _master(config) as master:
        for meter in config["meters"]:
            timestamp = utc_now()
            label = (
                {"secondary_address": meter["secondary"]}
                if "secondary" in meter
                else {"address": meter["address"]}
            )
            try:
                if "secondary" in meter:
                    decoded = master.read_secondary(meter["secondary"])
                else:
                    decoded = master.req_ud2(meter["address"])
                readings.append(make_reading(decoded, timestamp, meter=label))
            except NoAnswer:
                readings.append(make_reading(None, timestamp, error="no_answer", meter=label))
            except DecodeError as exc:
                readings.append(make_reading(None, timestamp, error=exc.reason, meter=label))
    return readings


def cmd_read(args):
    config = load_config(args)
    readings = read_meters(config)
    print(json.dumps(readings, ensure_ascii=False, indent=2))
    if args.enqueue and not args.dry_run:
        spool = Spool(config["queue"])
        for reading in readings:
            spool.add(reading)
        spool.close()


def cmd_upload(args):
    config = load_config(args)
    spool = Spool(config["queue"])
    try:
        if args.dry_run:
            payload = {"collector": config["collector"], "readings": spool.pending()}
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return 0
        return _upload(config, spool)
    finally:
        spool.close()


def _upload(config, spool):
    if not config.get("server") or not config.get("api_key"):
        raise ValueError('upload needs "server" and "api_key" (or SITE_COLLECTOR_API_KEY)')
    totals = upload_pending(spool, config["server"], config["api_key"], config["collector"])
    print(json.dumps(dict(totals, **spool.counts())))
    return 0


def cmd_run(args):
    config = load_config(args)
    while True:
        started = time.monotonic()
        spool = Spool(config["queue"])
        try:
            for reading in read_meters(config):
                spool.add(reading)
            if args.dry_run:
                payload = {"collector": config["collector"], "readings": spool.pending()}
                print(json.dumps(payload, ensure_ascii=False, indent=2))
            else:
                try:
                    _upload(config, spool)
                except UploadError as exc:
                    # Offline or refused: the readings wait in the queue for the next cycle.
                    print(f"site-collector: {exc}", file=sys.stderr)
                    if args.once:
                        return 2
        finally:
            spool.close()
        if args.once:
            return 0
        time.sleep(max(0.0, config["interval"] - (time.monotonic() - started)))
