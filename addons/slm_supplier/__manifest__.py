# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Service Level Management: Suppliers and Underpinning Contracts",
    "summary": "Underpinning contracts with suppliers, supplier clocks, performance, "
    "service credits, scorecards, renewals, compliance and supplier selection",
    "version": "18.0.1.0.0",
    "category": "Services/Service Level Management",
    "license": "AGPL-3",
    "author": "SLM Suite contributors",
    "website": "https://github.com/slm-suite/slm",
    "depends": ["slm_agreements"],
    "data": [
        "security/slm_supplier_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/slm_agreement_views.xml",
        "views/slm_supplier_menus.xml",
    ],
    "demo": [],
    "development_status": "Alpha",
    "installable": True,
}
