from . import slm_supplier_handover_wizard
