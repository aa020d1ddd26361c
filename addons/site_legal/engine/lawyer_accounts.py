"""A lawyer's account with the site, per case.

Each operation posts two legs that balance; their roles are the accounts the model
resolves:

- ``lawyer``: the lawyer's account (debit: the lawyer holds the site's money or owes
  an advance back; credit: the site owes the lawyer);
- ``money``: the site's bank or cash;
- ``debtor``: the case's debt on the receivable account for legal follow-up (a debit
  charges the debtor, a credit is a collection from the debtor);
- ``cost``: the site's legal costs (an expense the site bears).

Operations: an ``advance`` paid to the lawyer; an ``expense`` the lawyer paid (court
fees, notary) and the lawyer's ``fee``, each charged on to the debtor or borne by the
site; a ``collection`` the lawyer received from the debtor; a ``remittance`` of
collected money from the lawyer to the site.
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

ADVANCE, EXPENSE, FEE, COLLECTION, REMITTANCE = (
    "advance",
    "expense",
    "fee",
    "collection",
    "remittance",
)
KINDS = (ADVANCE, EXPENSE, FEE, COLLECTION, REMITTANCE)
CHARGED_ON = (EXPENSE, FEE)  # kinds charged on to the debtor or borne by the site
DEBTOR, SITE = "debtor", "site"
LAWYER, MONEY, DEBTOR_DEBT, COST = "lawyer", "money", "debtor", "cost"

Leg = namedtuple("Leg", "role amount")  # amount: positive debit, negative credit


def legs(kind, amount, charge_to=None, digits=2):
    """The two legs of an operation, debit first; they add up to zero."""
    if kind not in KINDS:
        raise ValueError(f"Unknown operation {kind!r}; expected one of {KINDS}.")
    amount = round_half_up(to_decimal(amount), digits)
    if amount <= 0:
        raise ValueError(f"The amount must be positive; got {amount}.")
    if kind in CHARGED_ON:
        if charge_to not in (DEBTOR, SITE):
            raise ValueError(f"Say whether the {kind} is charged on to the debtor or the site.")
        debit = DEBTOR_DEBT if charge_to == DEBTOR else COST
        return (Leg(debit, amount), Leg(LAWYER, -amount))
    debit, credit = {
        ADVANCE: (LAWYER, MONEY),
        COLLECTION: (LAWYER, DEBTOR_DEBT),
        REMITTANCE: (MONEY, LAWYER),
    }[kind]
    return (Leg(debit, amount), Leg(credit, -amount))


def running(rows):
    """[(key, debit, credit, balance)]: ``rows`` (key, debit, credit) in order, each with
    the balance (debit - credit) up to and including it."""
    balance = Decimal(0)
    result = []
    for key, debit, credit in rows:
        debit, credit = to_decimal(debit), to_decimal(credit)
        balance += debit - credit
        result.append((key, debit, credit, balance))
    return result


def totals(rows):
    """{group: (debit, credit, balance)} of (group, debit, credit) rows, groups in the
    order they first appear."""
    sums = {}
    for group, debit, credit in rows:
        debit_sum, credit_sum = sums.get(group, (Decimal(0), Decimal(0)))
        sums[group] = (debit_sum + to_decimal(debit), credit_sum + to_decimal(credit))
    return {group: (debit, credit, debit - credit) for group, (debit, credit) in sums.items()}
