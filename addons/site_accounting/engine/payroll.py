"""Staff salaries and board allowances owed by the site (335 Personele Borçlar), less
the salary advances (196 Personel Avansları) the person was paid.

A payroll books each line (a person, a gross amount, an expense account) on its expense.
The open salary advances of the line's person are deducted from it
(``advance_deductions``); the entry credits each advance deducted for its deduction, and
what is left, the net, is owed to each person on 335, one credit per person; the cash box
or the bank later pays 335 down.
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

PayrollLine = namedtuple("PayrollLine", "person account amount")
# An open salary advance: ``key`` identifies it, ``open_amount`` is what is left of it.
SalaryAdvance = namedtuple("SalaryAdvance", "key person date open_amount")
# ``amount`` of advance ``advance`` (its key) deducted from the line at index ``line``.
Deduction = namedtuple("Deduction", "line advance amount")
Entry = namedtuple("Entry", "expenses owed advances")


class PayrollError(ValueError):
    """A payroll the rules refuse; the message names the line at fault."""


def advance_deductions(lines, salary_advances):
    """What the payroll deducts from ``lines`` (PayrollLine, in order) for the open
    ``salary_advances`` (SalaryAdvance): each person's advances oldest first (by date,
    then key), from that person's lines in their order, never more than a line's amount
    (its net is never below zero) nor than what is left of an advance. An advance not
    deducted in full stays open with its remainder for the next payroll. Returns
    ``[Deduction]``; a person without open advances gets none."""
    queues = {}
    for advance in sorted(salary_advances, key=lambda advance: (advance.date, advance.key)):
        open_amount = round_half_up(to_decimal(advance.open_amount))
        if open_amount < 0:
            raise PayrollError(
                f"Salary advance {advance.key}: what is left of it cannot be negative, "
                f"not {open_amount}."
            )
        if open_amount:
            queues.setdefault(advance.person, []).append([advance.key, open_amount])
    deductions = []
    for index, line in enumerate(lines):
        available = round_half_up(to_decimal(line.amount))
        queue = queues.get(line.person, [])
        while available > 0 and queue:
            key, left = queue[0]
            amount = min(available, left)
            deductions.append(Deduction(index, key, amount))
            available -= amount
            if amount == left:
                queue.pop(0)
            else:
                queue[0][1] = left - amount
    return deductions


def payroll_entry(lines, deductions=()):
    """The expenses to debit ``[(person, account, amount)]``, what is owed to each person
    ``{person: net}`` (persons whose advances took all of it left out) and the salary
    advances to credit ``{(person, advance): amount}``, from ``lines`` (PayrollLine) and
    the ``deductions`` (Deduction) made from them."""
    if not lines:
        raise PayrollError("A payroll needs at least one line.")
    gross = []
    for number, line in enumerate(lines, start=1):
        amount = round_half_up(to_decimal(line.amount))
        if amount <= 0:
            raise PayrollError(f"Line {number}: the amount must be positive, not {amount}.")
        gross.append(amount)
    deducted = [Decimal(0)] * len(lines)
    advances = {}
    for deduction in deductions:
        amount = round_half_up(to_decimal(deduction.amount))
        if not 0 <= deduction.line < len(lines) or amount <= 0:
            raise PayrollError(
                f"A deduction of {amount} from line {deduction.line + 1} cannot be made: "
                "no such line, or not a positive amount."
            )
        deducted[deduction.line] += amount
        key = (lines[deduction.line].person, deduction.advance)
        advances[key] = advances.get(key, Decimal(0)) + amount
    expenses = []
    owed = {}
    for number, (line, amount, deduction) in enumerate(
        zip(lines, gross, deducted, strict=True), start=1
    ):
        if deduction > amount:
            raise PayrollError(
                f"Line {number}: {deduction} of advances deducted, more than its amount {amount}."
            )
        expenses.append((line.person, line.account, amount))
        owed[line.person] = owed.get(line.person, Decimal(0)) + amount - deduction
    return Entry(expenses, {person: net for person, net in owed.items() if net}, advances)
