"""The payment provider's fee passed to the payer, when a site chooses to.

The provider takes its fee (a percent of what it collects plus a fixed amount) from
the whole sum paid, the payer's fee included. For the site to receive the debt in
full, the fee asked of the payer is grossed up:

    fee = (debt · p + fixed) / (1 − p)

so that the provider's fee on debt + fee is that fee. 1,000.00 at 2.5 % + 1.00:
(25.00 + 1.00) / 0.975 = 26.67; the payer pays 1,026.67, of which the provider keeps
1,026.67 · 2.5 % + 1.00 = 26.67 and the site receives 1,000.00.
"""

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

# A provider's percent is a few units; at 100 % nothing would ever reach the site.
MAX_PERCENT = 50


class FeeError(ValueError):
    """Fee settings that cannot be applied; the message names the setting."""


def check(percent, fixed):
    percent, fixed = to_decimal(percent), to_decimal(fixed)
    if not 0 <= percent <= MAX_PERCENT:
        raise FeeError(f"Fee percent must be between 0 and {MAX_PERCENT}; got {percent}.")
    if fixed < 0:
        raise FeeError(f"Fixed fee cannot be negative; got {fixed}.")


def payer_fee(debt, percent, fixed, digits=2):
    """The fee asked of a payer paying ``debt``, rounded half up; 0 when the site passes
    no fee on (percent and fixed both 0) or nothing is paid."""
    check(percent, fixed)
    debt, rate, fixed = to_decimal(debt), to_decimal(percent) / 100, to_decimal(fixed)
    if debt <= 0 or (not rate and not fixed):
        return round_half_up(0, digits)
    return round_half_up((debt * rate + fixed) / (1 - rate), digits)
