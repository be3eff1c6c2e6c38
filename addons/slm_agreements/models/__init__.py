from . import slm_ticket_priority
from . import slm_agreement
from . import slm_target
from . import slm_ticket_event
from . import slm_clock
from . import slm_adjustment
from . import helpdesk_ticket
