from . import test_supplier_performance
from . import test_supplier_mi
from . import test_supplier_renewal
from . import test_supplier_compliance
from . import test_supplier_rfp
from . import test_supplier_clock
from . import test_supplier_contract
from . import test_supplier_access
