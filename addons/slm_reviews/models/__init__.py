from . import slm_agreement
from . import helpdesk_ticket
from . import slm_service_statement
from . import slm_service_statement_line
from . import slm_review
from . import slm_review_action
from . import slm_improvement_plan
