from . import gateway_reader
from . import mbus_reader
from . import wmbus_reader
