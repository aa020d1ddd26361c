"""Compact frames (EN 13757-3 / OMS): records sent without their DIB/VIB headers.

A compact frame carries a 2-byte *format signature* (the CRC of EN 13757-4 over the DIB/VIB
bytes of the full frame, in order) and a 2-byte CRC of the full frame's data. The headers
themselves are only in a full frame the same meter sent before: :class:`FormatSignatures`
learns them from full frames and expands compact ones; it is a plain mapping that a caller
(the collector, Odoo) can save with :meth:`export` and feed back with :meth:`update`.
"""

from .crc import crc16
from .errors import PrematureEndError
from .tables import DATA_LENGTHS, lvar_length


class FormatSignatures:
    """Format signature (int) -> DIB/VIB header bytes of each record of the full frame."""

    def __init__(self, known=None):
        self._formats = {}
        if known:
            self.update(known)

    def __len__(self):
        return len(self._formats)

    def __contains__(self, signature):
        return signature in self._formats

    def learn(self, headers):
        """Remember the format of a full frame from its records' header bytes; its signature."""
        headers = [bytes(h) for h in headers]
        if not headers:
            return None
        signature = crc16(b"".join(headers))
        self._formats[signature] = headers
        return signature

    def update(self, known):
        """Add formats given as ``{"EDA8"/0xA8ED: "02FF20 0413 ..." or [bytes, ...]}``.

        A hex string holds the headers one after the other; they are split again here and
        the signature is checked against them.
        """
        for signature, headers in dict(known).items():
            if isinstance(headers, str):
                headers = split_headers(bytes.fromhex("".join(headers.split())))
            learned = self.learn(headers)
            wanted = signature if isinstance(signature, int) else int(signature, 16)
            if learned != wanted:
                raise ValueError(
                    f"format signature 0x{wanted:04X} does not match its headers "
                    f"(they give 0x{learned or 0:04X})"
                )

    def export(self):
        """``{"A8ED": "02FF200413...", ...}``: JSON-ready, accepted by :meth:`update`."""
        return {f"{sig:04X}": b"".join(h).hex().upper() for sig, h in self._formats.items()}

    def expand(self, signature, data):
        """The full record bytes of compact ``data``, or None if the format is not known."""
        headers = self._formats.get(signature)
        if headers is None:
            return None
        out = bytearray()
        pos = 0
        for header in headers:
            length = DATA_LENGTHS.get(header[0] & 0x0F, 0)
            if header[0] & 0x0F == 0x0D:
                if pos >= len(data):
                    raise PrematureEndError("compact frame ends before an LVAR byte")
                length = 1 + lvar_length(data[pos])
            if pos + length > len(data):
                raise PrematureEndError(
                    f"compact frame ends inside the value of record {header.hex().upper()}"
                )
            out += header + data[pos : pos + length]
            pos += length
        return bytes(out) + bytes(data[pos:])


def split_headers(data):
    """Split concatenated DIB/VIB headers (DIF, DIFEs, VIF, VIFEs each) into a list."""
    headers = []
    pos = 0
    while pos < len(data):
        start = pos
        pos += 1
        while data[pos - 1] & 0x80 and pos < len(data):  # DIFEs
            pos += 1
        if pos >= len(data):
            raise ValueError("headers end inside a DIB")
        vif = data[pos]
        pos += 1
        if vif & 0x7F == 0x7C:  # plain-text VIF: length and text follow
            if pos >= len(data) or pos + 1 + data[pos] > len(data):
                raise ValueError("headers end inside a plain-text VIF")
            pos += 1 + data[pos]
        last = vif
        while last & 0x80:
            if pos >= len(data):
                raise ValueError("headers end inside a VIB")
            last = data[pos]
            pos += 1
        headers.append(bytes(data[start:pos]))
    return headers


#: The collector's own memory of formats, used when no other is passed.
DEFAULT_SIGNATURES = FormatSignatures()
