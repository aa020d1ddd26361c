{
    "name": "Site Legal Portal",
    "summary": "Lawyers' portal pages: their cases, the debtors' statements for those cases, "
    "stage changes, expenses, notes, documents and their own account",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_legal", "site_portal"],
    "data": ["views/site_legal_portal_templates.xml"],
    "auto_install": True,
    "installable": True,
}
