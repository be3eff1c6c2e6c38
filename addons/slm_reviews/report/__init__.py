from . import slm_review_minutes_report
from . import slm_review_performance_xlsx
