from . import test_agreement_access
from . import test_agreement_constraints
from . import test_agreement_demo
from . import test_agreement_hierarchy
from . import test_agreement_lifecycle
from . import test_agreement_revision
from . import test_target
from . import test_clock_rules
