"""Cheques and promissory notes (çek / senet) received and given.

Each allowed step of an instrument's life posts one entry, given here as the *roles*
of its debit and credit accounts; the model looks the accounts up by code on the site's
Turkish uniform chart (``ACCOUNT_CODES``) or takes them from the instrument (the
drawer's receivable, the supplier's payable, the bank journal).

Received (from a unit or another drawer)::

    draft -> portfolio        101/121 portfolio   <- 120 drawer's receivable (a payment)
    portfolio -> deposited    101.02/121.02 at the bank for collection <- portfolio
    portfolio -> endorsed     320 supplier's payable <- portfolio
    portfolio -> returned     120 drawer's receivable (debt re-opened) <- portfolio
    deposited -> collected    102 bank <- at the bank for collection
    deposited -> bounced      120 drawer's receivable (debt re-opened) <- collection
    endorsed -> collected     nothing: the supplier cashed it
    endorsed -> bounced       120 drawer's receivable <- 320 supplier (owed again)
    bounced -> returned       nothing: the paper is handed back to the drawer

Given (to a supplier or other payee)::

    draft -> issued           320 payee's payable <- 103/321
    issued -> paid            103/321 <- 102 bank
    issued -> returned        103/321 <- 320 payee's payable (owed again)
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

CHEQUE = "cheque"
NOTE = "promissory_note"
RECEIVED = "received"
GIVEN = "given"

DRAFT = "draft"
PORTFOLIO = "portfolio"
DEPOSITED = "deposited"
ENDORSED = "endorsed"
COLLECTED = "collected"
BOUNCED = "bounced"
RETURNED = "returned"
ISSUED = "issued"
PAID = "paid"

# Account roles.
IN_PORTFOLIO = "portfolio"
AT_BANK = "collection"
GIVEN_ACCOUNT = "given"
RECEIVABLE = "receivable"
PAYABLE = "payable"
BANK = "bank"

# (direction, from state, to state): (debit role, credit role), or None for a step that
# posts nothing.
TRANSITIONS = {
    (RECEIVED, DRAFT, PORTFOLIO): (IN_PORTFOLIO, RECEIVABLE),
    (RECEIVED, PORTFOLIO, DEPOSITED): (AT_BANK, IN_PORTFOLIO),
    (RECEIVED, PORTFOLIO, ENDORSED): (PAYABLE, IN_PORTFOLIO),
    (RECEIVED, PORTFOLIO, RETURNED): (RECEIVABLE, IN_PORTFOLIO),
    (RECEIVED, DEPOSITED, COLLECTED): (BANK, AT_BANK),
    (RECEIVED, DEPOSITED, BOUNCED): (RECEIVABLE, AT_BANK),
    (RECEIVED, ENDORSED, COLLECTED): None,
    (RECEIVED, ENDORSED, BOUNCED): (RECEIVABLE, PAYABLE),
    (RECEIVED, BOUNCED, RETURNED): None,
    (GIVEN, DRAFT, ISSUED): (PAYABLE, GIVEN_ACCOUNT),
    (GIVEN, ISSUED, PAID): (GIVEN_ACCOUNT, BANK),
    (GIVEN, ISSUED, RETURNED): (GIVEN_ACCOUNT, PAYABLE),
}

# Codes of the Turkish uniform chart (Tekdüzen Hesap Planı) per kind and role; the
# sub-accounts for instruments at the bank are created on the site when missing.
ACCOUNT_CODES = {
    (CHEQUE, IN_PORTFOLIO): "101",
    (CHEQUE, AT_BANK): "101.02",
    (CHEQUE, GIVEN_ACCOUNT): "103",
    (NOTE, IN_PORTFOLIO): "121",
    (NOTE, AT_BANK): "121.02",
    (NOTE, GIVEN_ACCOUNT): "321",
}

Line = namedtuple("Line", "role debit credit")


class InstrumentError(ValueError):
    """A step or an instrument the rules refuse; the message says why."""


def next_states(direction, state):
    """The states an instrument of ``direction`` in ``state`` may move to."""
    return sorted(to for (way, frm, to) in TRANSITIONS if way == direction and frm == state)


def entry(kind, direction, state, target, amount):
    """The lines (role, debit, credit) moving an instrument from ``state`` to
    ``target``; empty for a step that posts nothing. Raises InstrumentError for a
    step the rules do not allow."""
    key = (direction, state, target)
    if key not in TRANSITIONS:
        raise InstrumentError(
            f"A {direction} {kind} cannot go from {state} to {target}; "
            f"allowed: {', '.join(next_states(direction, state)) or 'none'}."
        )
    amount = round_half_up(to_decimal(amount))
    if amount <= 0:
        raise InstrumentError(f"The amount of the {kind} must be positive, not {amount}.")
    roles = TRANSITIONS[key]
    if roles is None:
        return []
    debit, credit = roles
    return [Line(debit, amount, Decimal(0)), Line(credit, Decimal(0), amount)]


def account_code(kind, role):
    """The uniform chart's code for ``role`` of ``kind``; None for roles taken from the
    instrument (receivable, payable, bank)."""
    return ACCOUNT_CODES.get((kind, role))


def check_dates(issue_date, due_date):
    """Raise InstrumentError when the instrument falls due before it is issued."""
    if issue_date and due_date and due_date < issue_date:
        raise InstrumentError(f"The due date {due_date} is before the issue date {issue_date}.")
