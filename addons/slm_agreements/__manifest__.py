# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Service Level Management: Agreements and Clocks",
    "summary": "SLAs, OLAs and SLRs with targets; response and resolution "
    "clocks on helpdesk tickets; attainment",
    "version": "18.0.1.0.0",
    "category": "Services/Service Level Management",
    "license": "AGPL-3",
    "author": "SLM Suite contributors",
    "website": "https://github.com/slm-suite/slm",
    "depends": ["slm_catalogue"],
    "data": [
        "security/slm_agreements_security.xml",
        "security/ir.model.access.csv",
        "data/slm_ticket_priority_data.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_cron_clock_data.xml",
        "wizards/slm_simulation_wizard_views.xml",
        "views/slm_clock_views.xml",
        "views/slm_target_views.xml",
        "views/slm_agreement_views.xml",
        "views/helpdesk_ticket_views.xml",
        "report/slm_attainment_report_views.xml",
        "views/slm_agreements_menus.xml",
    ],
    "demo": ["demo/slm_agreements_demo.xml", "demo/slm_clock_demo.xml"],
    "development_status": "Alpha",
    "installable": True,
}
