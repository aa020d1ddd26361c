"""Frames built for the tests (no corpus needed)."""

from site_collector.frame import long_frame


def header(ident="12345678", manufacturer="KAM", version=0x01, medium=0x07, access=0x2A):
    man = 0
    for letter in manufacturer:
        man = (man << 5) | (ord(letter) - 64)
    return (
        bytes.fromhex(ident)[::-1]
        + man.to_bytes(2, "little")
        + bytes([version, medium, access, 0x00, 0x00, 0x00])
    )


def rsp_ud(records, address=5, **kwargs):
    return long_frame(0x08, address, 0x72, header(**kwargs) + bytes.fromhex(records))


# Volume 12.345 m^3 (BCD, litres), energy 1 234 kWh (int32, Wh*1000), flow temperature 45.6 °C
WATER = "0C13 45230100" + "0406 D2040000" + "025A C801"
# Storage 1 date 2024-05-31 (type G), a type F date-time with the invalid bit set,
# a 6-byte type I date-time, text LVAR "AB12", binary LVAR E2, manufacturer data
DATES = "426C 1F35" + "046D 80000000" + "066D 1E0A0C1F3500" + "0D78 04 32314241" + "0DFD17 E2 3412"
MANUFACTURER_TAIL = "0F 0102AB"
MORE_FOLLOWS = "0413 10000000" + "1F"
