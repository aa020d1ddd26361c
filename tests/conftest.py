"""Load the addons' plain-Python engines without Odoo.

An engine package (``addons/<addon>/engine``) imports nothing from Odoo. It is
registered here under the name Odoo gives it, ``odoo.addons.<addon>.engine``, without
its addon: an engine may then import another addon's engine by that name (as
``site_dues``' engines import ``odoo.addons.site_residents.engine.money``), and the
same module serves the tests and the server.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def _register_engines():
    for engine_dir in sorted(path.parent for path in ADDONS.glob("*/engine/__init__.py")):
        package = f"odoo.addons.{engine_dir.parent.name}.engine"
        if package in sys.modules:
            continue
        spec = importlib.util.spec_from_file_location(
            package, engine_dir / "__init__.py", submodule_search_locations=[str(engine_dir)]
        )
        sys.modules[package] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[package])


_register_engines()


def load_engine(addon, module):
    return importlib.import_module(f"odoo.addons.{addon}.engine.{module}")
