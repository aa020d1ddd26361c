#!/bin/bash
# Entrypoint of the `odoo` service in docker-compose.yml, run inside the official odoo:19.0
# image as its user `odoo`:
#   1. pip-installs requirements.txt into the odoo user's site-packages (kept in the
#      odoo-data volume, so later starts find everything already satisfied);
#   2. on the first start, creates the demo database with every site_* addon found in
#      /mnt/extra-addons and their demo data (and on later starts installs any site_*
#      addon added since);
#   3. serves that database on port 8069 with the settings of docker/odoo.conf (workers,
#      queue_job's runner).
# Database settings follow the official image: HOST, PORT, USER, PASSWORD (defaults db,
# 5432, odoo, odoo). The image's own /entrypoint.sh passes them to Odoo and waits for
# PostgreSQL, so this script hands every Odoo command to it.
set -euo pipefail

ADDONS_DIR=/mnt/extra-addons
REQUIREMENTS=${SITE_REQUIREMENTS:-/mnt/requirements.txt}
DB_NAME=${SITE_DB:-site_demo}
LANGUAGES=${SITE_LANGUAGES:-tr_TR,pl_PL,uk_UA}

export HOST="${HOST:-db}" PORT="${PORT:-5432}" USER="${USER:-odoo}" PASSWORD="${PASSWORD:-odoo}"

say() { echo "[site-entrypoint] $*"; }

# Several replicas of this service (`docker compose up --scale odoo=2`) share the
# odoo-data volume: one at a time installs the requirements and creates or completes the
# database; the lock is released before serving (or when this script exits).
exec 9>/var/lib/odoo/.site-setup.lock
flock 9

# --- 1. Python requirements ----------------------------------------------------
if [ -f "$REQUIREMENTS" ]; then
    say "installing Python requirements from $REQUIREMENTS"
    # The image's Python is the system one (PEP 668): a user install needs
    # --break-system-packages. Requirements that are already satisfied need no network.
    python3 -m pip install --user --break-system-packages --no-warn-script-location \
        --disable-pip-version-check -q -r "$REQUIREMENTS"
fi
# The on-site collector package, which site_metering uses to poll M-Bus gateways.
# It is mounted read-only and setuptools builds in the source tree: build from a copy.
if [ -f /opt/site/site_collector/pyproject.toml ]; then
    build_dir=$(mktemp -d)
    cp -r /opt/site/site_collector "$build_dir/"
    python3 -m pip install --user --break-system-packages --no-warn-script-location \
        --disable-pip-version-check -q --no-deps "$build_dir/site_collector"
    rm -rf "$build_dir"
fi

# --- 2. The demo database, on the first start ----------------------------------
psql_query() {  # psql_query DATABASE SQL: one value per line, nothing on error
    PGPASSWORD="$PASSWORD" psql -h "$HOST" -p "$PORT" -U "$USER" -d "$1" -tAq -c "$2"
}

wait-for-psql.py --db_host "$HOST" --db_port "$PORT" --db_user "$USER" \
    --db_password "$PASSWORD" --timeout=60

modules=$(find "$ADDONS_DIR" -mindepth 2 -maxdepth 2 -path "$ADDONS_DIR/site_*/__manifest__.py" \
    -printf '%h\n' | xargs -r -n1 basename | sort)
if [ -z "$modules" ]; then
    say "no site_* addon found in $ADDONS_DIR: is ./addons mounted there?" >&2
    exit 1
fi

if [ "$(psql_query postgres "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != "1" ]; then
    say "creating database $DB_NAME with $(paste -sd, - <<<"$modules") and demo data" \
        "(this takes a few minutes)"
    if ! /entrypoint.sh odoo -d "$DB_NAME" -i "$(paste -sd, - <<<"$modules")" --with-demo \
        --load-language "$LANGUAGES" --stop-after-init; then
        say "could not create $DB_NAME; dropping it so that the next start tries again" >&2
        psql_query postgres "DROP DATABASE IF EXISTS \"$DB_NAME\"" || true
        exit 1
    fi
else
    # An addon added to ./addons since the database was made: install it as well.
    installed=$(psql_query "$DB_NAME" "SELECT name FROM ir_module_module
        WHERE state = 'installed' AND name LIKE 'site\_%'" 2>/dev/null || true)
    missing=$(comm -23 <(echo "$modules") <(echo "$installed" | sort) | paste -sd, -)
    if [ -n "$missing" ]; then
        say "installing $missing into $DB_NAME"
        /entrypoint.sh odoo -d "$DB_NAME" -i "$missing" --with-demo --stop-after-init
    fi
fi

flock -u 9
exec 9>&-

# --- 3. Serve ---------------------------------------------------------------------
if [ "${1:-}" = odoo ]; then  # `command: odoo --dev=all` and the like
    shift
fi
say "serving $DB_NAME on port 8069 (published on http://127.0.0.1:8069/odoo)"
exec /entrypoint.sh odoo -d "$DB_NAME" --db-filter "^${DB_NAME}\$" --http-port 8069 "$@"
