"""The on-disk queue of readings waiting for upload (SQLite).

A reading is stored before anything is sent, under a stable key made of the meter and the
reading's timestamp, so a reading read twice is queued once and a replay sends nothing
twice. Rows are marked sent only after the server acknowledged them.
"""

import json
import sqlite3
from datetime import datetime, timezone

SCHEMA = """
CREATE TABLE IF NOT EXISTS reading (
    key TEXT PRIMARY KEY,
    queued_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    sent_at TEXT,
    rejected TEXT
)
"""


def utc_now():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def meter_identity(reading):
    meter = reading["meter"]
    address = meter.get("secondary_address") or meter.get("id") or meter.get("address")
    return f"{'wmbus' if meter.get('wmbus') else 'mbus'}:{address}"


def reading_key(reading):
    """Stable key of a queued reading: the meter and the time it was read."""
    return f"{meter_identity(reading)}@{reading['timestamp']}"


class Spool:
    def __init__(self, path):
        self.db = sqlite3.connect(str(path))
        self.db.execute(SCHEMA)
        self.db.commit()

    def close(self):
        self.db.close()

    def add(self, reading):
        """Queue one upload reading (see :func:`.upload.make_reading`). False if known."""
        reading = dict(reading, key=reading.get("key") or reading_key(reading))
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO reading (key, queued_at, payload) VALUES (?, ?, ?)",
            (reading["key"], utc_now(), json.dumps(reading, sort_keys=True)),
        )
        self.db.commit()
        return cursor.rowcount == 1

    def pending(self, limit=None):
        sql = (
            "SELECT payload FROM reading WHERE sent_at IS NULL AND rejected IS NULL ORDER BY rowid"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [json.loads(row[0]) for row in self.db.execute(sql)]

    def mark_sent(self, keys):
        now = utc_now()
        self.db.executemany(
            "UPDATE reading SET sent_at = ? WHERE key = ? AND sent_at IS NULL",
            [(now, key) for key in keys],
        )
        self.db.commit()

    def mark_rejected(self, rejections):
        """Keep rejected readings (for inspection) but stop sending them."""
        self.db.executemany(
            "UPDATE reading SET rejected = ? WHERE key = ?",
            [(item.get("reason") or "rejected", item["key"]) for item in rejections],
        )
        self.db.commit()

    def counts(self):
        row = self.db.execute(
            "SELECT COUNT(*), COUNT(sent_at), COUNT(rejected) FROM reading"
        ).fetchone()
        total, sent, rejected = row
        return {"pending": total - sent - rejected, "sent": sent, "rejected": rejected}
