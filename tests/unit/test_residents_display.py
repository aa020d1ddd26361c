import pytest
from conftest import load_engine

display = load_engine("site_residents", "display")


@pytest.mark.parametrize(
    ("strftime_format", "number_format"),
    [
        ("%d.%m.%Y", "dd.mm.yyyy"),  # Turkish, Polish, Ukrainian
        ("%m/%d/%Y", "mm/dd/yyyy"),  # US English
        ("%Y-%m-%d", "yyyy-mm-dd"),
        ("%d %B %Y", "dd mmmm yyyy"),
        ("%d.%m.%Y %H:%M", "dd.mm.yyyy"),  # no time in a date cell
        ("", "yyyy-mm-dd"),
        ("%H:%M", "yyyy-mm-dd"),
    ],
)
def test_xlsx_date_format_follows_the_language(strftime_format, number_format):
    assert display.xlsx_date_format(strftime_format) == number_format


def test_xlsx_date_format_quotes_letters():
    assert display.xlsx_date_format("%d. %m. %Y r.") == "dd. mm. yyyy \\r."


def test_file_name_joins_parts_and_keeps_dates_readable():
    assert (
        display.file_name(["Borçlu Listesi", "04.12.2026"], "xlsx")
        == "Borçlu Listesi 04.12.2026.xlsx"
    )
    assert display.file_name(["Debtors", "12/04/2026"], "xlsx") == "Debtors 12.04.2026.xlsx"


def test_file_name_drops_empty_parts_and_unsafe_characters():
    assert display.file_name(["Statement", "", None, 'A:1 "x"', " Ali  Yılmaz "]) == (
        "Statement A.1 .x. Ali Yılmaz"
    )
