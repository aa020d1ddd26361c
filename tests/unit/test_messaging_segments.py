from conftest import load_engine

segments = load_engine("site_messaging", "segments")


def test_gsm7_single_and_multipart():
    assert segments.measure("a" * 160) == segments.SmsLength("gsm7", 160, 1, 0)
    assert segments.measure("a" * 161) == segments.SmsLength("gsm7", 161, 2, 145)
    assert segments.measure("a" * 306).segments == 2
    assert segments.measure("a" * 307).segments == 3


def test_empty_text_is_one_sms():
    assert segments.measure("") == segments.SmsLength("gsm7", 0, 1, 160)


def test_extension_characters_count_two():
    length = segments.measure("€" * 80)
    assert (length.encoding, length.units, length.segments) == ("gsm7", 160, 1)
    assert segments.measure("€" * 81).segments == 2
    # an escaped character never straddles two parts: 152 + "€" opens a second part
    length = segments.measure("a" * 152 + "€" + "a" * 10)
    assert (length.units, length.segments) == (164, 2)
    assert length.remaining == 153 - 12


def test_turkish_letters_switch_to_ucs2():
    assert segments.encoding("Aidat borcunuz") == "gsm7"
    # ü, ö and Ç are GSM-7; ş, ğ, ı and İ are not
    assert segments.encoding("Günün öğleden önce") == "ucs2"
    assert segments.encoding("Çok güzel") == "gsm7"
    text = "Sayın Ayşe Hanım, aidat borcunuz 1.250,00 TL'dir."
    length = segments.measure(text)
    assert (length.encoding, length.units, length.segments) == ("ucs2", len(text), 1)
    assert segments.measure("ş" * 70).segments == 1
    assert segments.measure("ş" * 71).segments == 2
    assert segments.measure("ş" * 134).segments == 2
    assert segments.measure("ş" * 135).segments == 3


def test_ukrainian_and_polish_are_ucs2():
    assert segments.measure("Шановний власнику, борг 100 грн").encoding == "ucs2"
    assert segments.measure("Zaległość: 100 zł").encoding == "ucs2"


def test_emoji_counts_two_ucs2_units_and_is_not_split():
    length = segments.measure("😀" * 35)
    assert (length.encoding, length.units, length.segments) == ("ucs2", 70, 1)
    length = segments.measure("a" * 66 + "😀" + "a")
    assert (length.units, length.segments, length.remaining) == (69, 1, 1)
    length = segments.measure("a" * 66 + "😀" + "a" * 4)
    assert (length.units, length.segments) == (72, 2)
    assert length.remaining == 67 - 6
