from . import slm_simulation_line
from . import slm_simulation_wizard
