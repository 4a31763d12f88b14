from . import ctrl_base_test_record
