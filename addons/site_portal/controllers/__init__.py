from . import portal
from . import announcements
from . import requests
from . import privacy
from . import branding
