"""site_collector: read wired and wireless M-Bus meters on site and upload the readings."""

from .alarms import ALARM_CODES
from .compact import DEFAULT_SIGNATURES, FormatSignatures
from .errors import DecodeError
from .frame import decode_frame, decode_reply, split_frames
from .wmbus import decode_telegram

__all__ = [
    "ALARM_CODES",
    "DEFAULT_SIGNATURES",
    "DecodeError",
    "FormatSignatures",
    "decode_frame",
    "decode_reply",
    "decode_telegram",
    "split_frames",
]
__version__ = "1.0.0"
