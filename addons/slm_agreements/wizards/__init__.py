from . import slm_simulation_line
from . import slm_simulation_wizard
from . import slm_change_impact_line
from . import slm_change_impact_wizard
from . import slm_seal_verification
from . import slm_deadline_proposal_wizard
