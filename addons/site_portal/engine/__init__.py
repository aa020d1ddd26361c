"""Plain-Python rules of the residents' portal: who sees which unit and period, signed
pay links, submission throttling and the consumption chart."""

from . import access, chart, paylink, throttle  # noqa: F401
