from . import slm_agreement
