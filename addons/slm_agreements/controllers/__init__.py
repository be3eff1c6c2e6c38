from . import helpdesk_ticket_close
from . import portal
