"""Payouts of online-payment providers: one bank credit per settlement, net of fees.

The provider collects the residents' online payments and later pays the site's bank
their total less its fees. The payout is matched with the payments not yet paid out,
oldest first, until their total reaches the payout; the difference is the provider's
fee, booked as a bank expense.
"""

from collections import namedtuple

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

Settlement = namedtuple("Settlement", "gross net fee")


class PayoutError(ValueError):
    """A payout the rules refuse; ``gross`` and ``net`` are the figures compared."""

    def __init__(self, reason, gross, net):
        super().__init__(reason)
        self.reason = reason
        self.gross = gross
        self.net = net


def propose(payments, net):
    """The keys of ``payments`` ([(key, amount)], oldest first) a payout of ``net`` pays
    out: the oldest ones until their total reaches ``net``."""
    net = round_half_up(net)
    chosen, total = [], round_half_up(0)
    for key, amount in payments:
        if total >= net:
            break
        chosen.append(key)
        total += round_half_up(amount)
    return chosen


def settle(amounts, net):
    """Gross, net and fee of a payout of ``net`` for payments of ``amounts``.

    Refused when there is no payment, the payout is not money in, or the payments total
    less than the payout (a fee cannot be negative)."""
    gross = sum((round_half_up(to_decimal(amount)) for amount in amounts), round_half_up(0))
    net = round_half_up(net)
    if net <= 0:
        raise PayoutError("not_money_in", gross, net)
    if not amounts:
        raise PayoutError("no_payment", gross, net)
    if gross < net:
        raise PayoutError("payments_below_payout", gross, net)
    return Settlement(gross, net, gross - net)
