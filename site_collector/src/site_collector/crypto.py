"""AES of EN 13757-7 / OMS: security mode 5 (CBC), mode 7 (CBC, derived key) and the
extended link layer's AES-CTR (EN 13757-4). No function here trusts a plaintext on its own:
callers check it further (2F 2F, payload CRC, records that parse to the end)."""

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

from .errors import DecryptionError

BLOCK = 16


def _check_key(key):
    if key is None or len(key) != BLOCK:
        raise DecryptionError(f"AES-128 key must be 16 bytes, got {0 if key is None else len(key)}")
    return bytes(key)


def cbc_decrypt(payload, key, iv, blocks):
    """AES-128-CBC over ``blocks`` blocks (0: every whole block); the rest stays clear.

    The plaintext must start with the 2F 2F marker of EN 13757-7.
    """
    key = _check_key(key)
    size = blocks * BLOCK if blocks else len(payload) - len(payload) % BLOCK
    if size == 0 or len(payload) < size:
        raise DecryptionError(
            f"encrypted part of {size} bytes announced, {len(payload)} bytes present"
        )
    decryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(iv))).decryptor()
    plain = decryptor.update(bytes(payload[:size])) + decryptor.finalize()
    if plain[:2] != b"\x2f\x2f":
        raise DecryptionError("decryption failed: wrong key (no 2F 2F after decryption)")
    return plain + bytes(payload[size:])


def mode5_iv(manufacturer, ident, version, device_type, access):
    """IV of mode 5: M (2), id (4), version, device type of the meter, 8 x access number.

    For CI 0x7A these come from the link layer, for CI 0x72 from the long transport header
    (EN 13757-4 / OMS vol. 2 9.2.4): the meter's own address, not the radio's.
    """
    return bytes(manufacturer) + bytes(ident) + bytes([version, device_type]) + bytes([access]) * 8


def mode7_key(key, counter, ident):
    """OMS mode 7 ephemeral encryption key: AES-CMAC(K, 0x00 | counter | id | 0x07 x 7)."""
    key = _check_key(key)
    mac = CMAC(algorithms.AES(key))
    mac.update(b"\x00" + bytes(counter) + bytes(ident) + b"\x07" * 7)
    return mac.finalize()


def ctr_decrypt(data, key, counter_block):
    """AES-128-CTR of the extended link layer; ``counter_block`` is the 16-byte initial block."""
    key = _check_key(key)
    decryptor = Cipher(algorithms.AES(key), modes.CTR(bytes(counter_block))).decryptor()
    return decryptor.update(bytes(data)) + decryptor.finalize()


def ell_counter_block(manufacturer, address, cc, session):
    """Initial counter of ELL AES-CTR: M, A (6), CC, SN (4), FN = 0 (2), BC = 0."""
    return bytes(manufacturer) + bytes(address) + bytes([cc]) + bytes(session) + b"\x00\x00\x00"
