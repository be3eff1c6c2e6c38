# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Service Level Management: Service Reviews",
    "summary": "Service review meetings with agendas and minutes generated from "
    "records, actions, service improvement plans, monthly statements, PDF and "
    "XLSX exports, customer portal",
    "version": "18.0.1.0.0",
    "category": "Services/Service Level Management",
    "license": "AGPL-3",
    "author": "SLM Suite contributors",
    "website": "https://github.com/slm-suite/slm",
    "depends": ["slm_agreements", "calendar", "portal", "report_xlsx"],
    "data": [
        "security/slm_reviews_security.xml",
        "security/ir.model.access.csv",
        "views/slm_reviews_menus.xml",
    ],
    "demo": [],
    "development_status": "Alpha",
    "installable": True,
}
