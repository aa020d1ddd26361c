from . import collector
