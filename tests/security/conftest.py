import pytest

from tests.courses.conftest import add_course, lessons_of
from tests.factories import CatalogPageFactory, EnrolmentFactory, UserFactory


@pytest.fixture
def catalog(db):
    return CatalogPageFactory(title="Kurse", slug="kurse")


@pytest.fixture
def course(catalog):
    return add_course(catalog, lessons=1)


@pytest.fixture
def lesson(course):
    return lessons_of(course)[0]


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"])


@pytest.fixture
def learner_client(client, learner, course):
    """A signed-in learner enrolled in the course, so its lessons open."""
    EnrolmentFactory(user=learner, course=course)
    client.force_login(learner)
    return client
