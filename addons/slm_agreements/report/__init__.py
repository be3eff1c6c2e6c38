from . import slm_attainment_report
