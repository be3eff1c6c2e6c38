# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Channel rules 6 and 7 on databases upgraded from an earlier version.

data/helpdesk_stage_data.xml flags helpdesk_mgmt's Cancelled and Rejected
stages as not a resolution and its Awaiting stage as waiting for the
customer; it is ``noupdate`` (a manager may untick them), so an upgrade does
not load it: set the flags here, once, where they have never been set.
"""

from odoo.tools import SQL

FLAGS = {
    "helpdesk_ticket_stage_cancelled": "slm_not_resolution",
    "helpdesk_ticket_stage_rejected": "slm_not_resolution",
    "helpdesk_ticket_stage_awaiting": "slm_waiting_customer",
}


def migrate(cr, version):
    if not version:
        return
    for xmlid, column in FLAGS.items():
        cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket_stage stage
                   SET %(column)s = TRUE
                  FROM ir_model_data imd
                 WHERE imd.module = 'helpdesk_mgmt' AND imd.name = %(xmlid)s
                   AND imd.model = 'helpdesk.ticket.stage'
                   AND imd.res_id = stage.id AND stage.%(column)s IS NULL
                """,
                column=SQL.identifier(column),
                xmlid=xmlid,
            )
        )
