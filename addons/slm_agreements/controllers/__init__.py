from . import helpdesk_ticket_close
