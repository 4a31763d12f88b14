from . import ctrl_base_test_record
from . import ctrl_base_test_document
