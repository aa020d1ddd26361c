# Run and test the site_* addons with the Odoo 19 that python3 imports.
# Variables: DB (site_demo), PORT (8069), ADDONS (all site_*), KEEP_DB=1, PGHOST, PGPORT, PGUSER.
PYTHON ?= python3

.PHONY: help run test bench bench-portal lint

help:
	@echo "make run   - create the demo database if needed and serve Odoo on 127.0.0.1:\$$PORT"
	@echo "make test  - install every site_* addon in a fresh database with the tests on, plus pytest"
	@echo "make bench - accrual, Odoo invoice reference and late fees on UNITS (10000) units"
	@echo "make bench-portal - the portal under load (locust) only; make bench runs it too"
	@echo "make lint  - ruff and the pre-commit hooks (pylint-odoo)"

run:
	@$(PYTHON) tools/sitectl.py run

test:
	@$(PYTHON) tools/sitectl.py test

bench:
	@$(PYTHON) tools/sitectl.py bench

bench-portal:
	@$(PYTHON) tools/bench_portal.py

lint:
	@$(PYTHON) -m ruff check addons tests tools
	@pre-commit run --all-files
