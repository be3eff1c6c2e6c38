# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import models

CLOCK_CHANNEL = re.compile(r"^slm_clocks:(\d+)$")


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """The ticket form asks for ``slm_clocks:<ticket id>`` (clock display
        rule 5): it gets the ticket's clock channel only if the user may read
        the ticket; the ids are checked in one search."""
        channels = list(channels)  # do not alter the client's list
        ticket_ids = set()
        for channel in list(channels):
            match = isinstance(channel, str) and CLOCK_CHANNEL.match(channel)
            if match:
                channels.remove(channel)
                ticket_ids.add(int(match[1]))
        if ticket_ids and self.env.uid and not self.env.user._is_public():
            tickets = self.env["helpdesk.ticket"].search(
                [("id", "in", list(ticket_ids))]
            )
            channels.extend((ticket, "slm_clocks") for ticket in tickets)
        return super()._build_bus_channel_list(channels)
