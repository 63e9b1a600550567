"""People and organisation at the size of a state administration."""

import time

from django.contrib.auth.hashers import make_password
from django.db import transaction

from lms.people.imports import users_import
from lms.people.models import Authority, AuthorityMembership, User
from lms.people.selectors import authorities_visible_to, people_visible_to
from lms.people.services import authority_create, user_set_roles

MINISTRIES, AUTHORITIES, UNITS = 10, 12, 6
PEOPLE = 60_000
IMPORT_ROWS = 5_000


@transaction.atomic
def build_organisation():
    nodes = []
    for m in range(MINISTRIES):
        ministry = authority_create(name=f"Ministerium {m}", abbreviation=f"M{m}", kind="ministry")
        for a in range(AUTHORITIES):
            authority = authority_create(
                name=f"Behörde {m}.{a}", abbreviation=f"B{m}-{a}", kind="authority", parent=ministry
            )
            nodes.append(authority)
            for u in range(UNITS):
                nodes.append(
                    authority_create(
                        name=f"Einheit {m}.{a}.{u}",
                        abbreviation=f"E{m}-{a}-{u}",
                        kind="unit",
                        parent=authority,
                    )
                )
    return nodes


@transaction.atomic
def build_people(nodes):
    password = make_password("bench")
    users = [
        User(
            email=f"p{i}@bench.example",
            first_name="P",
            last_name=str(i),
            authority=nodes[i % len(nodes)],
            password=password,
        )
        for i in range(PEOPLE)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    AuthorityMembership.objects.bulk_create(
        [AuthorityMembership(user=u, authority_id=u.authority_id) for u in users], batch_size=2000
    )


def run(timed):
    nodes = build_organisation()
    build_people(nodes)
    ministry = Authority.objects.get(abbreviation="M3")
    hr = User.objects.create_user(email="hr@bench.example", authority=ministry)
    user_set_roles(user=hr, roles=["hr"], hr_scopes=[ministry])
    admin = User.objects.create_superuser(email="admin@bench.example")

    def hr_scope():
        hr.__dict__.pop("roles", None)
        return people_visible_to(user=hr).count()

    yield "org_nodes", Authority.objects.count()
    yield "org_people", User.objects.count()
    yield "people_in_hr_scope", hr_scope()
    yield "hr_people_visible_count_ms", round(timed(hr_scope), 2)
    yield (
        "hr_authorities_visible_ms",
        round(timed(lambda: list(authorities_visible_to(user=hr).values_list("pk", flat=True))), 2),
    )
    yield (
        "admin_people_visible_count_ms",
        round(timed(lambda: people_visible_to(user=admin).count()), 2),
    )
    yield from run_import(by=admin)


def import_file(rows, *, surname="Import"):
    lines = ["E-Mail;Vorname;Nachname;Behörde;Personalnummer"]
    lines += [
        f"i{i}@bench.example;Ina;{surname}{i};E{i % 10}-{i % 12}-{i % 6};PN{i}" for i in range(rows)
    ]
    return ("\ufeff" + "\r\n".join(lines)).encode()


def run_import(*, by):
    """Seconds to import IMPORT_ROWS new people, to re-import them unchanged, and to update them."""
    for label, data in (
        ("create", import_file(IMPORT_ROWS)),
        ("unchanged", import_file(IMPORT_ROWS)),
        ("update", import_file(IMPORT_ROWS, surname="Neu")),
    ):
        start = time.perf_counter()
        report = users_import(data=data, by=by)
        seconds = time.perf_counter() - start
        assert report.ok, report.errors[:3]
        yield f"import_{IMPORT_ROWS}_rows_{label}_s", round(seconds, 2)
