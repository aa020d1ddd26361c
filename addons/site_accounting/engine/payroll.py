"""Staff salaries and board allowances owed by the site (335 Personele Borçlar).

A payroll books each line (a person, an amount, an expense account) on its expense and
what the site owes each person on 335, one credit per person; the cash box or the bank
later pays 335 down.
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

PayrollLine = namedtuple("PayrollLine", "person account amount")
Entry = namedtuple("Entry", "expenses owed")


class PayrollError(ValueError):
    """A payroll the rules refuse; the message names the line at fault."""


def payroll_entry(lines):
    """The expenses to debit ``[(person, account, amount)]`` and what is owed to each
    person ``{person: amount}``, from ``lines`` (PayrollLine)."""
    if not lines:
        raise PayrollError("A payroll needs at least one line.")
    expenses = []
    owed = {}
    for number, line in enumerate(lines, start=1):
        amount = round_half_up(to_decimal(line.amount))
        if amount <= 0:
            raise PayrollError(f"Line {number}: the amount must be positive, not {amount}.")
        expenses.append((line.person, line.account, amount))
        owed[line.person] = owed.get(line.person, Decimal(0)) + amount
    return Entry(expenses, owed)
