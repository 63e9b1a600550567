"""Demo site pages outside the catalogue: the accessibility statement. Never in production."""

from django.utils import timezone

from .models import AccessibilityStatementPage, HomePage

ENFORCEMENT = (
    "<p>Wenn Sie auf Ihre Rückmeldung innerhalb von sechs Wochen keine zufriedenstellende "
    "Antwort erhalten, können Sie sich an die Durchsetzungsstelle für barrierefreie "
    "Informationstechnik des Landes wenden. Das Verfahren ist kostenfrei; Sie brauchen keinen "
    "Rechtsbeistand.</p><p>Demo-Kontakt: durchsetzungsstelle@demo.example</p>"
)
BARRIERS = (
    "<ul><li>Ältere PDF-Dokumente in einzelnen Lektionen sind noch nicht vollständig "
    "barrierefrei; sie werden bis Ende des Jahres ersetzt. Auf Anfrage erhalten Sie die Inhalte "
    "in einer zugänglichen Form.</li><li>Eingebettete Videos externer Anbieter haben "
    "Transkripte, aber nicht immer Untertitel.</li></ul>"
)


def seed_accessibility_statement() -> AccessibilityStatementPage:
    existing = AccessibilityStatementPage.objects.first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    page = home.add_child(
        instance=AccessibilityStatementPage(
            title="Erklärung zur Barrierefreiheit",
            slug="barrierefreiheit",
            conformity=AccessibilityStatementPage.Conformity.PARTIAL,
            prepared_on=timezone.localdate(),
            barriers=BARRIERS,
            feedback_contact="E-Government-Kompetenz- und Lernzentrum, Team Barrierefreiheit",
            feedback_email="barrierefreiheit@demo.example",
            feedback_phone="0611 0000-0",
            enforcement=ENFORCEMENT,
        )
    )
    page.save_revision().publish()
    return page
