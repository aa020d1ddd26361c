"""National identity numbers of the markets served, checked by their check digits.

Turkey: T.C. Kimlik No (TCKN, 11 digits); Poland: PESEL (11 digits, carries the
birth date); Ukraine: RNOKPP (individual taxpayer number, 10 digits).
python-stdnum (an Odoo requirement) holds the algorithms; this module turns its
answers into one result with a reason a person can act on.
"""

from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.pl import pesel
from stdnum.tr import tckimlik
from stdnum.ua import rntrc


@dataclass(frozen=True)
class IdScheme:
    code: str
    label: str
    length: int
    module: object


SCHEMES = {
    "TR": IdScheme("tckn", "Turkish identity number (T.C. Kimlik No)", 11, tckimlik),
    "PL": IdScheme("pesel", "PESEL number", 11, pesel),
    "UA": IdScheme("rnokpp", "Ukrainian taxpayer number (RNOKPP)", 10, rntrc),
}


REASONS = ("digits_only", "length", "checksum", "impossible", "malformed")


@dataclass(frozen=True)
class IdCheck:
    valid: bool
    number: str  # compacted: digits only
    scheme: IdScheme | None
    reason: str = ""  # why it is invalid: one of REASONS (the model words it per language)
    birth_date: date | None = None


def scheme_for(country_code):
    return SCHEMES.get((country_code or "").upper())


def check(number, country_code):
    """Check ``number`` for ``country_code`` (ISO 3166 alpha-2).

    Countries without a scheme accept any non-empty text as it is.
    """
    scheme = scheme_for(country_code)
    compact = "".join((number or "").split())
    if scheme is None:
        return IdCheck(True, compact, None)
    compact = compact.replace("-", "")
    if not compact.isdigit():
        return IdCheck(False, compact, scheme, "digits_only")
    if len(compact) != scheme.length:
        return IdCheck(False, compact, scheme, "length")
    try:
        scheme.module.validate(compact)
    except stdnum_errors.InvalidChecksum:
        return IdCheck(False, compact, scheme, "checksum")
    except stdnum_errors.InvalidComponent:
        return IdCheck(False, compact, scheme, "impossible")
    except stdnum_errors.ValidationError:
        return IdCheck(False, compact, scheme, "malformed")
    birth = pesel.get_birth_date(compact) if scheme.code == "pesel" else None
    return IdCheck(True, compact, scheme, birth_date=birth)
