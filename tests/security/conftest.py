import pytest

from courses.models import CatalogPage
from courses.services import enrolment_create
from home.models import HomePage
from tests.courses.conftest import add_course, lessons_of, publish
from tests.factories import UserFactory


@pytest.fixture
def catalog(db):
    home = HomePage.objects.first()
    return publish(home.add_child(instance=CatalogPage(title="Kurse", slug="kurse")))


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
    enrolment_create(user=learner, course=course)
    client.force_login(learner)
    return client
