"""site_collector: read wired and wireless M-Bus meters on site and upload the readings."""

from .errors import DecodeError
from .frame import decode_frame
from .wmbus import decode_telegram

__all__ = ["DecodeError", "decode_frame", "decode_telegram"]
__version__ = "1.0.0"
