"""Plain-Python rules of site governance: ``voting`` weighs, counts and decides votes
(imported where used: it needs site_residents' money engine)."""
