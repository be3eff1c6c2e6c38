from . import slm_supplier_mi_report
