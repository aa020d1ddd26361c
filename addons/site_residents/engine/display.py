"""How dates are written where people read them: months, spreadsheet cells, file names.

Months are stored as their first day and read as the month and the year in the reader's
language ("Aralık 2026", "grudzień 2026"), never as a day. Spreadsheet date cells and the
dates in file names follow the reader's date format (Odoo's ``res.lang.date_format``, a
strftime pattern such as "%d.%m.%Y").
"""

import re

# LDML (babel, luxon) pattern: the stand-alone month name and the year.
MONTH_PATTERN = "LLLL yyyy"
# The same in a spreadsheet cell: the spreadsheet program names the month in its language.
XLSX_MONTH_FORMAT = "mmmm yyyy"
XLSX_ISO_DATE_FORMAT = "yyyy-mm-dd"

STRFTIME_TO_XLSX = {
    "d": "dd",
    "e": "d",
    "m": "mm",
    "Y": "yyyy",
    "y": "yy",
    "b": "mmm",
    "B": "mmmm",
    "a": "ddd",
    "A": "dddd",
}
# Windows, macOS and Linux refuse these in a file name; a date's "/" among them.
FILE_NAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def xlsx_date_format(strftime_format):
    """The spreadsheet number format writing a date as ``strftime_format`` does:
    "%d.%m.%Y" gives "dd.mm.yyyy". Time codes are left out; letters are quoted."""
    parts = []
    position = 0
    pattern = strftime_format or ""
    while position < len(pattern):
        char = pattern[position]
        if char == "%" and position + 1 < len(pattern):
            parts.append(STRFTIME_TO_XLSX.get(pattern[position + 1], ""))
            position += 2
            continue
        parts.append(f"\\{char}" if char.isalpha() else char)
        position += 1
    number_format = "".join(parts).strip(" :")
    return number_format if "d" in number_format or "m" in number_format else XLSX_ISO_DATE_FORMAT


def file_name(parts, extension=None):
    """A download's name: its non-empty parts (a title, a unit, dates already written in
    the reader's format) joined by spaces; characters file systems refuse, such as the
    slashes of 12/04/2026, become dots."""
    text = " ".join(" ".join(str(part).split()) for part in parts if part)
    text = FILE_NAME_UNSAFE.sub(".", text)
    return f"{text}.{extension}" if extension else text
