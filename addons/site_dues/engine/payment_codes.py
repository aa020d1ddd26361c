"""Payment references and the text of payment QR codes, by market.

- References: ISO 11649 creditor references ("RF" + mod-97 check digits + up to 21
  letters and digits) for SEPA and Poland; numeric references with a Luhn check
  digit for bank transfers in Turkey and Ukraine, where free text is what banks
  carry and a mistyped digit must be caught.
- QR texts (this module builds strings, never images):
  ZBP "Rekomendacja ... Standard 2D" (2013) for Polish transfers, EPC069-12 version
  002 for SEPA credit transfers, and the National Bank of Ukraine's format 002.
"""

import base64
import re
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up

IBAN_LENGTHS = {"PL": 28, "TR": 26, "UA": 29}  # the markets served; others: generic checks

ZBP_MAX_GROSZE = 999_999  # six digits: at most 9,999.99 PLN
EPC_MAX_BYTES = 331  # EPC069-12: the whole payload
MAX_CENTS = 99_999_999_999  # EPC and NBU: at most 999,999,999.99
NBU_QR_URL = "https://bank.gov.ua/qr/"
NBU_MAX_ENCODED = 500  # format 002: the Base64URL part of the link, in bytes

_RF = re.compile(r"RF\d{2}[0-9A-Z]{1,21}")
_RF_BASE = re.compile(r"[0-9A-Z]{1,21}")
_IBAN = re.compile(r"[A-Z]{2}\d{2}[0-9A-Z]{11,30}")
_BIC = re.compile(r"[A-Z]{6}[0-9A-Z]{2}([0-9A-Z]{3})?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def _compact(text):
    """Without spaces, upper case: how codes are printed is not what they are."""
    return "".join((text or "").split()).upper()


def _mod97(text):
    """ISO 7064 MOD 97-10 of letters and digits, letters counting A=10 .. Z=35."""
    return int("".join(str(int(char, 36)) for char in text)) % 97


def _text(value, limit, drop=""):
    """Free text fit for one field: one line, no ``drop`` characters, cut to limit."""
    value = _CONTROL.sub(" ", value or "")
    for char in drop:
        value = value.replace(char, " ")
    return " ".join(value.split())[:limit].rstrip()


def _cents(amount):
    """The amount in hundredths, rounded half up; a bare float would lose the cents."""
    amount = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return int(round_half_up(amount, 2).scaleb(2))


def _checked_cents(amount, maximum, what):
    cents = _cents(amount)
    if not 0 < cents <= maximum:
        raise ValueError(
            f"{what}: the amount must be between 0.01 and {Decimal(maximum).scaleb(-2):,}; "
            f"got {amount}."
        )
    return cents


def _required(value, what):
    if not value:
        raise ValueError(f"{what} is required.")
    return value


def rf_reference(base):
    """The ISO 11649 creditor reference of ``base`` (1 to 21 letters and digits)."""
    base = _compact(base)
    if not _RF_BASE.fullmatch(base):
        raise ValueError(f"An RF reference is built from 1 to 21 letters and digits; got {base!r}.")
    return f"RF{98 - _mod97(base + 'RF00'):02d}{base}"


def is_valid_rf(reference):
    reference = _compact(reference)
    return bool(_RF.fullmatch(reference)) and _mod97(reference[4:] + reference[:4]) == 1


def _luhn_digit(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str(-total % 10)


def numeric_reference(number):
    """``number`` (digits) followed by its Luhn (mod 10) check digit."""
    digits = str(number) if isinstance(number, int) else _compact(number)
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"A numeric reference is built from digits only; got {number!r}.")
    return digits + _luhn_digit(digits)


def is_valid_numeric_reference(reference):
    reference = _compact(reference)
    return (
        len(reference) > 1
        and reference.isascii()
        and reference.isdigit()
        and _luhn_digit(reference[:-1]) == reference[-1]
    )


def iban_is_valid(iban):
    """ISO 13616: form, the length for the markets served, and the mod-97 check."""
    iban = _compact(iban)
    if not _IBAN.fullmatch(iban):
        return False
    if len(iban) != IBAN_LENGTHS.get(iban[:2], len(iban)):
        return False
    return _mod97(iban[4:] + iban[:4]) == 1


def _nip_is_valid(nip):
    if len(nip) != 10 or not nip.isascii() or not nip.isdigit():
        return False
    check = sum(int(d) * w for d, w in zip(nip, _NIP_WEIGHTS)) % 11
    return check == int(nip[9])


def zbp_payload(nip, account, amount, name, title, country="PL"):
    """The Polish banks' (ZBP) transfer QR text, fields joined by "|".

    NIP (10 digits or empty) | country (2 letters) | account (26 digits, NRB) |
    amount in grosze (6 digits, so below 10,000.00 PLN) | recipient name (20) |
    title (32) | three reserved fields, left empty. Name and title are cut to their
    lengths and lose any "|"; NIP and account are checked, not cut.
    """
    nip = re.sub(r"[\s-]", "", nip or "")
    if nip.upper().startswith("PL"):
        nip = nip[2:]
    if nip and not _nip_is_valid(nip):
        raise ValueError(f"A NIP is 10 digits with a valid check digit; got {nip!r}.")
    country = _compact(country)
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ValueError(f"The country is a two-letter code; got {country!r}.")
    number = _compact(account)
    number = number[2:] if number.startswith("PL") else number
    if not re.fullmatch(r"\d{26}", number) or not iban_is_valid("PL" + number):
        raise ValueError(
            f"A Polish account number is 26 digits with valid check digits; got {account!r}."
        )
    grosze = _cents(amount)
    if grosze <= 0:
        raise ValueError(f"ZBP QR: the amount must be positive; got {amount}.")
    if grosze > ZBP_MAX_GROSZE:
        raise ValueError(
            f"ZBP QR: the amount field holds 6 digits of grosze, at most 9,999.99 PLN; "
            f"got {amount}."
        )
    name = _required(_text(name, 20, "|"), "The recipient name")
    title = _required(_text(title, 32, "|"), "The payment title")
    return "|".join((nip, country, number, f"{grosze:06d}", name, title, "", "", ""))


def epc_payload(name, iban, amount, currency="EUR", bic="", remittance="", reference=""):
    """The EPC069-12 (SEPA credit transfer QR) text, version 002, UTF-8.

    Lines: BCD, 002, 1, SCT, BIC (may be empty in 002), name (70), IBAN, "EUR" +
    amount, purpose (empty), structured reference (35, e.g. an RF reference),
    unstructured remittance (140), beneficiary-to-originator text (empty). At most
    one of reference and remittance; empty trailing lines are left out, as the
    guidelines want nothing after the last element given.
    """
    if currency != "EUR":
        raise ValueError(f"The EPC QR code carries euro transfers only; got {currency!r}.")
    iban = _compact(iban)
    if not iban_is_valid(iban):
        raise ValueError(f"Invalid IBAN {iban!r}.")
    bic = _compact(bic)
    if bic and not _BIC.fullmatch(bic):
        raise ValueError(f"A BIC is 8 or 11 letters and digits; got {bic!r}.")
    name = _required(_text(name, 70), "The beneficiary name")
    cents = _checked_cents(amount, MAX_CENTS, "EPC QR")
    reference = _compact(reference)
    remittance = _text(remittance, 140)
    if reference and remittance:
        raise ValueError("EPC QR: give a structured reference or a remittance text, not both.")
    if len(reference) > 35 or (reference.startswith("RF") and not is_valid_rf(reference)):
        raise ValueError(f"Invalid structured reference {reference!r}.")
    amount_text = f"EUR{Decimal(cents).scaleb(-2):.2f}"
    lines = ["BCD", "002", "1", "SCT", bic, name, iban, amount_text, "", reference, remittance]
    while not lines[-1]:
        lines.pop()
    payload = "\n".join(lines)
    if len(payload.encode()) > EPC_MAX_BYTES:
        raise ValueError(f"EPC QR: the text is longer than {EPC_MAX_BYTES} bytes.")
    return payload


def nbu_payload(name, iban, amount, edrpou, purpose):
    """The National Bank of Ukraine's transfer QR data, format 002, UTF-8.

    Format 002 as the NBU rules define it (Resolution No. 11 of 01.02.2021; kept
    as format 002 by Resolution No. 97 of 19.08.2025, in force from 01.11.2025,
    which adds format 003). Lines, joined by "\\n":
    1 "BCD", 2 "002", 3 "1" (UTF-8), 4 "UCT", 5 BIC (reserved: empty),
    6 recipient (70), 7 IBAN (UA + 27 digits), 8 "UAH" + amount with 2 decimals,
    9 recipient code (EDRPOU 8 digits or RNOKPP 10), 10 purpose code (reserved:
    empty), 11 reference (reserved: empty), 12 purpose of payment (140).
    Field 13 (display, reserved) is empty and so left out with its line break.
    The QR image carries not these lines but ``nbu_link(payload)``.
    """
    iban = _compact(iban)
    if not re.fullmatch(r"UA\d{27}", iban) or not iban_is_valid(iban):
        raise ValueError(
            f"A Ukrainian IBAN is UA + 27 digits with valid check digits; got {iban!r}."
        )
    code = _compact(edrpou)
    if not re.fullmatch(r"\d{8}|\d{10}", code):
        raise ValueError(
            f"The recipient code is an EDRPOU (8 digits) or RNOKPP (10); got {code!r}."
        )
    name = _required(_text(name, 70), "The recipient name")
    purpose = _required(_text(purpose, 140), "The purpose of payment")
    cents = _checked_cents(amount, MAX_CENTS, "NBU QR")
    amount_text = f"UAH{Decimal(cents).scaleb(-2):.2f}"
    lines = ["BCD", "002", "1", "UCT", "", name, iban, amount_text, code, "", "", purpose]
    payload = "\n".join(lines)
    if len(_base64url(payload)) > NBU_MAX_ENCODED:
        raise ValueError(
            f"NBU QR: the encoded data exceeds {NBU_MAX_ENCODED} bytes; "
            "shorten the purpose or the name."
        )
    return payload


def _base64url(payload):
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def nbu_link(payload):
    """What the Ukrainian QR image holds: the NBU address + the data in Base64URL."""
    return NBU_QR_URL + _base64url(payload)


_DIGIT_RUNS = re.compile(r"\d+")
_SPACED_DIGITS = re.compile(r"\d[\d \-./]*\d")


def reference_candidates(text):
    """Numeric references a memo may hold: every run of digits, and runs typed with
    spaces, dashes or dots inside ("0000 1234"), kept when their check digit is valid."""
    if not text:
        return set()
    candidates = set(_DIGIT_RUNS.findall(text))
    candidates.update(re.sub(r"\D", "", group) for group in _SPACED_DIGITS.findall(text))
    return {c for c in candidates if is_valid_numeric_reference(c)}
