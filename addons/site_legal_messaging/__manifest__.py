{
    "name": "Site Legal Messaging",
    "summary": "Formal notices of site_legal sent as letters, e-mails and SMS through "
    "site_messaging",
    "version": "19.0.1.0.0",
    "category": "Services/Site Management",
    "author": "Site Suite contributors",
    "license": "LGPL-3",
    "depends": ["site_legal", "site_messaging"],
    "data": ["views/site_legal_notice_batch_views.xml"],
    "auto_install": True,
    "installable": True,
}
