from . import slm_service_lifecycle_wizard
