"""People in every role the platform knows, over the report fixtures' organisation.

Interior (HMdI) and finance (HMdF) each have learners with records (tests/reports/conftest.py);
the HR coordinator of the interior is "HR in scope" for the interior learners and "HR of
another authority" for the finance ones, and the other way round.
"""

import pytest

from tests.courses.conftest import catalog  # noqa: F401  (fixture)
from tests.factories import UserFactory
from tests.reports.conftest import records, security_course  # noqa: F401  (fixtures)


@pytest.fixture
def trainer(org):
    return UserFactory(
        email="trainerin@verwaltung.example", authority=org["rpda"], roles=["trainer"]
    )


@pytest.fixture
def roles(records, trainer, hr_innen, hr_finanzen, centre_admin):  # noqa: F811
    """Role name -> person. The learner is Anna Amsel (RPDA, interior) of the records."""
    return {
        "learner": records["people"]["anna"],
        "trainer": trainer,
        "hr_in_scope": hr_innen,
        "hr_of_another_authority": hr_finanzen,
        "centre_admin": centre_admin,
    }
