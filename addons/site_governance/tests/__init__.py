from . import test_access, test_counting, test_portal, test_report, test_secret, test_ui, test_votes
