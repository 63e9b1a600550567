"""A demo organisation resembling a state administration, and demo accounts.

Used by `manage.py seed_demo`; never in production.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Authority, AuthorityKind, User
from .roles import Role
from .services import authority_create, user_create, user_move, user_set_roles

DEMO_PASSWORD = "demo-lms-2026"  # noqa: S105 - published demo password, refused in production

M, A, U = AuthorityKind.MINISTRY, AuthorityKind.AUTHORITY, AuthorityKind.UNIT

# (abbreviation, name, kind, children)
ORGANISATION = [
    (
        "HMdI",
        "Hessisches Ministerium des Innern, für Sicherheit und Heimatschutz",
        M,
        [
            (
                "RPDA",
                "Regierungspräsidium Darmstadt",
                A,
                [
                    ("RPDA-Z", "Abteilung I – Zentrale Dienste", U, []),
                    ("RPDA-DV", "Dezernat Digitale Verwaltung", U, []),
                ],
            ),
            (
                "RPGI",
                "Regierungspräsidium Gießen",
                A,
                [
                    ("RPGI-Z", "Abteilung I – Zentrale Dienste", U, []),
                ],
            ),
            (
                "RPKS",
                "Regierungspräsidium Kassel",
                A,
                [
                    ("RPKS-Z", "Abteilung I – Zentrale Dienste", U, []),
                ],
            ),
            ("HLKA", "Hessisches Landeskriminalamt", A, []),
        ],
    ),
    (
        "HMdF",
        "Hessisches Ministerium der Finanzen",
        M,
        [
            (
                "HZD",
                "Hessische Zentrale für Datenverarbeitung",
                A,
                [
                    ("HZD-BS", "Betrieb und Service", U, []),
                    ("HZD-EG", "E-Government-Anwendungen", U, []),
                ],
            ),
            ("OFD", "Oberfinanzdirektion Frankfurt am Main", A, []),
            ("HBS", "Hessische Bezügestelle", A, []),
        ],
    ),
    (
        "HDM",
        "Hessisches Ministerium für Digitalisierung und Innovation",
        M,
        [
            (
                "EGLZ",
                "E-Government-Kompetenz- und Lernzentrum",
                A,
                [
                    ("EGLZ-QM", "Qualifizierung und Medien", U, []),
                ],
            ),
        ],
    ),
    (
        "HKM",
        "Hessisches Kultusministerium",
        M,
        [
            ("SSA-F", "Staatliches Schulamt Frankfurt am Main", A, []),
            ("SSA-KS", "Staatliches Schulamt Kassel", A, []),
        ],
    ),
    (
        "HMSI",
        "Hessisches Ministerium für Soziales und Integration",
        M,
        [
            ("HLSV", "Hessisches Landesamt für Soziales und Versorgung", A, []),
        ],
    ),
]

# (e-mail, first name, last name, authority, roles, HR scopes, what the account is for)
ACCOUNTS = [
    (
        "admin@demo.example",
        "Petra",
        "Zentral",
        "EGLZ",
        [Role.CENTRE_ADMIN],
        [],
        "Zentrumsadministration",
    ),
    ("trainer@demo.example", "Tobias", "Trainer", "EGLZ-QM", [Role.TRAINER], [], "Trainer"),
    ("hr.innen@demo.example", "Helga", "Innen", "HMdI", [Role.HR], ["HMdI"], "HR Innenressort"),
    (
        "hr.finanzen@demo.example",
        "Frank",
        "Finanz",
        "HMdF",
        [Role.HR],
        ["HMdF"],
        "HR Finanzressort",
    ),
    ("anna.lernt@demo.example", "Anna", "Lernt", "RPDA", [], [], "Lernende (RP Darmstadt)"),
    ("ben.lernt@demo.example", "Ben", "Lernt", "HZD", [], [], "Lernender (HZD)"),
]

FIRST_NAMES = [
    "Julia",
    "Thomas",
    "Sabine",
    "Michael",
    "Katrin",
    "Stefan",
    "Claudia",
    "Andreas",
    "Nicole",
    "Markus",
    "Sandra",
    "Jan",
    "Melanie",
    "Daniel",
    "Ayşe",
    "Mehmet",
    "Lena",
    "Jonas",
    "Marie",
    "Lukas",
    "Sophie",
    "Felix",
    "Hannah",
    "Paul",
    "Leonie",
    "Maximilian",
    "Laura",
    "Tim",
    "Sarah",
    "Niklas",
    "Jana",
    "Florian",
    "Christina",
    "Sebastian",
    "Anja",
    "Matthias",
    "Birgit",
    "Jörg",
    "Ute",
    "Dieter",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Yılmaz",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
]


def _ascii(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ş": "s", "ı": "i"})
    return name.lower().translate(table)


def _seed_tree(nodes, parent=None, existing=None):
    for abbreviation, name, kind, children in nodes:
        node = existing.get(abbreviation.upper())
        if node is None:
            node = authority_create(name=name, abbreviation=abbreviation, kind=kind, parent=parent)
            existing[abbreviation.upper()] = node
        _seed_tree(children, parent=node, existing=existing)


def _ensure_person(email, first_name, last_name, authority, password_hash):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_create(
            email=email, first_name=first_name, last_name=last_name, authority=authority
        )
        # One hash for every demo account: hashing dozens of passwords would slow the seed.
        user.password = password_hash
        user.save(update_fields=["password"])
    else:
        user_move(user=user, authority=authority)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def seed_people(*, learners=40):
    """Create the demo organisation and accounts; running it again changes nothing."""
    existing = {a.abbreviation.upper(): a for a in Authority.objects.all()}
    _seed_tree(ORGANISATION, existing=existing)
    password_hash = make_password(DEMO_PASSWORD)

    for email, first, last, abbreviation, roles, scopes, _purpose in ACCOUNTS:
        user = _ensure_person(email, first, last, existing[abbreviation.upper()], password_hash)
        user_set_roles(
            user=user, roles=roles, hr_scopes=[existing[s.upper()] for s in scopes] or None
        )

    # Learners spread over every authority and unit, so reports have something to show.
    # Ordered by abbreviation: tree paths shift as sorted siblings are inserted.
    places = list(Authority.objects.exclude(kind=AuthorityKind.MINISTRY).order_by("abbreviation"))
    for i, (email, first, last) in enumerate(_learners(learners)):
        _ensure_person(email, first, last, places[i % len(places)], password_hash)
    return existing


def _learners(count=40):
    for i in range(count):
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        yield f"{_ascii(first)}.{_ascii(last)}@demo.example", first, last


def demo_emails() -> list[str]:
    """The addresses of the people the seed creates: the demo's own people. Anyone else with
    an @demo.example address (imported while trying the demo, say) is left alone."""
    return [account[0] for account in ACCOUNTS] + [email for email, *_names in _learners()]


def demo_logins():
    return [(email, purpose) for email, *_rest, purpose in ACCOUNTS]
