from . import site_legal_lawyer_entry, site_legal_portal
