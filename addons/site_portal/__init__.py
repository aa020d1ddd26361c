from . import controllers, models  # noqa: F401
