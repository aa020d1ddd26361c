"""Tariffs where there is no bill to split, e.g. a village water service.

A tariff prices each unit's consumption in blocks: ``Block(up_to, price)`` charges
``price`` per m³ of the consumption up to ``up_to`` m³ (cumulative, from the end of the
block before; ``up_to`` 0 = no limit, the last block only). A fixed monthly fee is
added; where consumption and fee come to less than the minimum charge, the minimum is
charged; tax is added on top. Over several months, the block limits, the fee and the
minimum are multiplied by the number of months.

Each block's amount is rounded half up to the currency's digits, and the charge is
the sum of the rounded amounts, so the lines of a bill always add up.
"""

from dataclasses import dataclass
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal


class TariffError(ValueError):
    """A tariff or a consumption no charge can be computed from."""


@dataclass(frozen=True)
class Block:
    up_to: Decimal  # cumulative upper limit in m³ (per month); 0 = no limit
    price: Decimal  # per m³


@dataclass(frozen=True)
class BlockCharge:
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class TariffCharge:
    consumption: Decimal
    blocks: list  # BlockCharge, the blocks used
    consumption_amount: Decimal
    fixed_fee: Decimal
    minimum_topup: Decimal  # added to reach the minimum charge
    net: Decimal  # consumption amount + fixed fee + top-up
    tax: Decimal
    total: Decimal


def check_blocks(blocks):
    """Refuse blocks that do not rise, a limit after an unlimited block, negative prices."""
    blocks = [Block(to_decimal(block.up_to), to_decimal(block.price)) for block in blocks]
    if not blocks:
        raise TariffError("The tariff has no price blocks.")
    previous = Decimal(0)
    for index, block in enumerate(blocks, start=1):
        if block.price < 0:
            raise TariffError(f"Block {index}: the price cannot be negative ({block.price}).")
        if block.up_to < 0:
            raise TariffError(f"Block {index}: the limit cannot be negative ({block.up_to}).")
        if not block.up_to:
            if index != len(blocks):
                raise TariffError(f"Block {index} has no limit, so it must be the last block.")
            continue
        if block.up_to <= previous:
            raise TariffError(
                f"Block {index}: its limit {block.up_to} must be above the block before's "
                f"{previous}."
            )
        previous = block.up_to
    return blocks


def apply_tariff(
    consumption, blocks, fixed_fee=0, minimum_charge=0, tax_percent=0, months=1, digits=2
):
    """The charge of one unit for ``consumption`` m³ over ``months`` months."""
    used = to_decimal(consumption)
    if used < 0:
        raise TariffError(f"The consumption is negative: {consumption!r}.")
    months = to_decimal(months)
    if months <= 0:
        raise TariffError(f"The number of months must be positive, not {months}.")
    for name, value in (("fixed fee", fixed_fee), ("minimum charge", minimum_charge)):
        if to_decimal(value) < 0:
            raise TariffError(f"The {name} cannot be negative ({value}).")
    if to_decimal(tax_percent) < 0:
        raise TariffError(f"The tax cannot be negative ({tax_percent} %).")
    lines = []
    start = Decimal(0)
    left = used
    for block in check_blocks(blocks):
        if left <= 0:
            break
        size = left if not block.up_to else min(left, block.up_to * months - start)
        lines.append(BlockCharge(size, block.price, round_half_up(size * block.price, digits)))
        left -= size
        start = block.up_to * months if block.up_to else start
    if left > 0:
        raise TariffError(
            f"The consumption {used} m³ is above the tariff's last block (up to "
            f"{start} m³): add a last block without a limit."
        )
    consumption_amount = sum((line.amount for line in lines), round_half_up(0, digits))
    fee = round_half_up(to_decimal(fixed_fee) * months, digits)
    minimum = round_half_up(to_decimal(minimum_charge) * months, digits)
    topup = max(minimum - consumption_amount - fee, round_half_up(0, digits))
    net = consumption_amount + fee + topup
    tax = round_half_up(net * to_decimal(tax_percent) / 100, digits)
    return TariffCharge(
        consumption=used,
        blocks=lines,
        consumption_amount=consumption_amount,
        fixed_fee=fee,
        minimum_topup=topup,
        net=net,
        tax=tax,
        total=net + tax,
    )


def apply_to_units(
    consumptions, blocks, fixed_fee=0, minimum_charge=0, tax_percent=0, months=1, digits=2
):
    """{key: TariffCharge} for {key: consumption}; the blocks are checked once."""
    blocks = check_blocks(blocks)
    return {
        key: apply_tariff(used, blocks, fixed_fee, minimum_charge, tax_percent, months, digits)
        for key, used in consumptions.items()
    }
