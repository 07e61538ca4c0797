from tests.access.conftest import scoped_hr  # noqa: F401

# The reports' small department, plan and history.
from tests.reports.conftest import empty_cache, history, plan, staff, technology  # noqa: F401
