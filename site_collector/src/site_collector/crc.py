"""CRC of EN 13757-4 (polynomial 0x3D65, initial 0, complemented)."""


def crc16(data):
    """CRC-16/EN-13757 of ``data``."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x3D65) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc ^ 0xFFFF
