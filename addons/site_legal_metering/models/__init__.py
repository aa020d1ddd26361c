from . import site_legal_shutoff
