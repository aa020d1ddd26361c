"""Plain-Python rules of the residents' portal: who sees which unit and period, signed
pay links, submission throttling and the consumption chart; ``fee``: the provider fee
passed to the payer (imported where used: it needs site_residents' money engine)."""

from . import access, chart, paylink, throttle  # noqa: F401
