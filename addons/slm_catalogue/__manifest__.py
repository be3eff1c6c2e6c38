# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Service Level Management: Service Catalogue",
    "summary": "IT service catalogue: services, owners, lifecycle, dependencies, "
    "customers, support hours and the helpdesk tickets they receive",
    "version": "18.0.1.0.0",
    "category": "Services/Service Level Management",
    "license": "AGPL-3",
    "author": "SLM Suite contributors",
    "website": "https://github.com/slm-suite/slm",
    "depends": ["mail", "resource", "helpdesk_mgmt"],
    "data": [
        "security/slm_catalogue_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "wizards/slm_service_lifecycle_wizard_views.xml",
        "views/slm_service_category_views.xml",
        "views/slm_catalogue_discrepancy_views.xml",
        "views/slm_service_views.xml",
        "report/slm_report_style.xml",
        "views/slm_service_design_views.xml",
        "views/slm_service_lifecycle_log_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/res_config_settings_views.xml",
        "views/slm_menus.xml",
    ],
    "demo": ["demo/slm_catalogue_demo.xml"],
    "development_status": "Alpha",
    "application": True,
    "installable": True,
}
