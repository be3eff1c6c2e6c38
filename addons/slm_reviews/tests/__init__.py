from . import test_portal
from . import test_review_exports
from . import test_review_send
from . import test_statement
from . import test_improvement_plan
from . import test_review_agenda
from . import test_review
from . import test_review_action
