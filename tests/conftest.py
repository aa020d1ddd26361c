"""Load the addons' plain-Python engines without Odoo.

An engine package (``addons/<addon>/engine``) imports nothing from Odoo, so it is
loaded here under the name ``<addon>_engine`` and tested on its own.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def load_engine(addon, module):
    package = f"{addon}_engine"
    if package not in sys.modules:
        engine_dir = ADDONS / addon / "engine"
        spec = importlib.util.spec_from_file_location(
            package, engine_dir / "__init__.py", submodule_search_locations=[str(engine_dir)]
        )
        sys.modules[package] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[package])
    return importlib.import_module(f"{package}.{module}")
