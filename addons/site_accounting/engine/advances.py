"""Advances to staff: work advances (iş avansı, 195) settled with expense receipts, and
salary advances (personel avansı, 196) deducted from the next payrolls
(``payroll.advance_deductions``).

Paying an advance books the money out of the cash box or bank on its account (the staff
member's advance). Settling a work advance books each receipt on its expense account
against 195; what the receipts leave of the advance comes back to the cash box (on 195),
and what they spend beyond it is owed to the staff member (335 Personele Borçlar).
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

# Roles of the settlement's lines; an expense line carries the index of its receipt.
EXPENSE = "expense"
ADVANCE = "advance"
STAFF_PAYABLE = "staff_payable"
# The account of salary advances (payroll entries credit it for the deductions).
SALARY_ADVANCE = "salary_advance"

# The code of each role's account by chart. Turkish uniform chart: 195 İş Avansları,
# 196 Personel Avansları, 335 Personele Borçlar. Polish chart (l10n_pl): 234 Pozostałe
# rozrachunki z pracownikami (23.000.900, where salary advances wait for the payroll)
# and 231 Rozrachunki z tytułu wynagrodzeń (23.000.100). Ukrainian chart (ua_psbo):
# 3773 settlements with employees on other operations and 661 payroll settlements.
# Work advances are kept on the Turkish chart only.
ACCOUNT_CODES = {
    "tr": {ADVANCE: "195", SALARY_ADVANCE: "196", STAFF_PAYABLE: "335"},
    "pl": {SALARY_ADVANCE: "23.000.900", STAFF_PAYABLE: "23.000.100"},
    "ua_psbo": {SALARY_ADVANCE: "3773", STAFF_PAYABLE: "661"},
}

Line = namedtuple("Line", "role receipt debit credit")
Settlement = namedtuple("Settlement", "lines returned")


class AdvanceError(ValueError):
    """An advance or a settlement the rules refuse; the message says why."""


def settlement(advance, receipts):
    """The settlement entry of an ``advance`` with ``receipts`` (their amounts, in
    order), and the cash the staff member returns (zero when none)."""
    advance = round_half_up(to_decimal(advance))
    amounts = [round_half_up(to_decimal(amount)) for amount in receipts]
    if advance <= 0:
        raise AdvanceError(f"The advance must be positive, not {advance}.")
    if not amounts:
        raise AdvanceError("An advance is settled with at least one expense receipt.")
    for index, amount in enumerate(amounts, start=1):
        if amount <= 0:
            raise AdvanceError(f"Receipt {index}: the amount must be positive, not {amount}.")
    spent = sum(amounts, Decimal(0))
    lines = [Line(EXPENSE, index, amount, Decimal(0)) for index, amount in enumerate(amounts)]
    lines.append(Line(ADVANCE, None, Decimal(0), min(spent, advance)))
    if spent > advance:
        lines.append(Line(STAFF_PAYABLE, None, Decimal(0), spent - advance))
    return Settlement(lines, max(advance - spent, Decimal(0)))


def account_code(chart, role):
    """The code of ``role``'s account on ``chart`` (a chart template's code), or None
    when the suite keeps no such account on that chart."""
    return ACCOUNT_CODES.get(chart, {}).get(role)
