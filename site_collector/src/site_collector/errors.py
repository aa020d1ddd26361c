"""Exceptions raised while decoding M-Bus and wireless M-Bus data.

Every malformed input raises a subclass of :class:`DecodeError` whose message says what is
wrong, so that a caller can log it and store the reading as failed instead of crashing.
"""


class DecodeError(ValueError):
    """A frame or telegram cannot be decoded."""

    #: Short machine-readable reason, used as the ``error`` of a queued reading.
    reason = "decode_error"


class FrameLengthError(DecodeError):
    reason = "length"


class ChecksumError(DecodeError):
    reason = "checksum"


class PrematureEndError(DecodeError):
    reason = "premature_end"


class TooManyExtensionsError(DecodeError):
    reason = "too_many_extensions"


class UnsupportedFrameError(DecodeError):
    reason = "unsupported"


class SlaveReportedError(DecodeError):
    """The slave answered with an application error (CI 0x70) instead of data."""

    reason = "slave_error"


class DecryptionError(DecodeError):
    reason = "decryption_failed"
