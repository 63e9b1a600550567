"""Demo quizzes: a final test per demo course, mixing every question type (fictitious)."""

from decimal import Decimal

from courses.models import QuizPage
from courses.quizzes import questions as q


def _question(kind, prompt, points=1, feedback="", **fields):
    return (kind, {"prompt": prompt, "points": Decimal(points), "feedback": feedback, **fields})


def _options(options):
    """(text, correct) or (text, correct, feedback on choosing it)."""
    return [
        {"text": text, "correct": correct, "feedback": rest[0] if rest else ""}
        for text, correct, *rest in options
    ]


def _single(prompt, options, **kwargs):
    return _question(q.SINGLE, prompt, options=_options(options), **kwargs)


def _multiple(prompt, options, partial_credit=True, **kwargs):
    return _question(
        q.MULTIPLE, prompt, options=_options(options), partial_credit=partial_credit, **kwargs
    )


def _true_false(prompt, correct, if_true="", if_false="", **kwargs):
    return _question(
        q.TRUE_FALSE,
        prompt,
        correct=correct,
        feedback_true=if_true,
        feedback_false=if_false,
        **kwargs,
    )


def _short_text(prompt, accepted, **kwargs):
    return _question(q.SHORT_TEXT, prompt, accepted_answers=list(accepted), **kwargs)


def _number(prompt, answer, tolerance=0, unit="", **kwargs):
    return _question(
        q.NUMBER,
        prompt,
        answer=Decimal(str(answer)),
        tolerance=Decimal(str(tolerance)),
        unit=unit,
        **kwargs,
    )


def _ordering(prompt, items, **kwargs):
    return _question(q.ORDERING, prompt, items=list(items), partial_credit=True, **kwargs)


def _matching(prompt, pairs, **kwargs):
    return _question(
        q.MATCHING,
        prompt,
        pairs=[{"left": left, "right": right} for left, right in pairs],
        partial_credit=True,
        **kwargs,
    )


QUIZZES = {
    # Anna's course in the demo: no waiting time, so she can fail, retry and pass at once.
    "ozg-grundlagen": {
        "intro": "<p>Zum Abschluss prüfen Sie Ihr Wissen über das OZG, den Portalverbund und "
        "„Einer für Alle“. Sie bestehen mit 70 % der Punkte.</p>",
        "settings": {
            "pass_mark": 70,
            "max_attempts": 3,
            "wait_minutes": 0,
            "questions_per_page": 4,
            "review": QuizPage.Review.AFTER_PASS,
        },
        "questions": [
            _single(
                "Wofür steht die Abkürzung OZG?",
                [
                    (
                        "Onlinezugangsgesetz",
                        True,
                        "Richtig – das Gesetz zur Verbesserung des Onlinezugangs zu "
                        "Verwaltungsleistungen.",
                    ),
                    ("Organisationszuständigkeitsgesetz", False),
                    ("Öffentliches Zugangsgesetz", False),
                    ("Onlinezulassungsgesetz", False),
                ],
            ),
            _true_false(
                "Das OZG verpflichtet nur den Bund, nicht aber die Länder, ihre "
                "Verwaltungsleistungen online anzubieten.",
                False,
                if_true="Nicht ganz: Bund und Länder – mit ihren Kommunen – sind verpflichtet.",
            ),
            _multiple(
                "Welche Bausteine gehören zur Infrastruktur, die das OZG vorsieht?",
                [
                    ("Verwaltungsportale von Bund und Ländern", True),
                    ("Nutzerkonten für Bürgerinnen, Bürger und Unternehmen", True),
                    (
                        "ein bundeseinheitliches Papierformular",
                        False,
                        "Ziel des OZG ist gerade der digitale Zugang.",
                    ),
                    ("eine eigene Steuernummer für jede Behörde", False),
                ],
                points=2,
            ),
            _short_text(
                "Wie heißt das zentrale Nutzerkonto des Bundes für Bürgerinnen und Bürger?",
                ["BundID", "Bund ID", "Bund-ID"],
                feedback="Die BundID ist aus dem früheren „Nutzerkonto Bund“ hervorgegangen.",
            ),
            _number(
                "Bis Ende welchen Jahres sollten nach dem OZG von 2017 alle "
                "Verwaltungsleistungen online verfügbar sein? (Jahreszahl)",
                2022,
                feedback="Die Umsetzungsfrist endete am 31. Dezember 2022.",
            ),
            _ordering(
                "Bringen Sie die Schritte eines Online-Antrags in die richtige Reihenfolge.",
                [
                    "Leistung im Verwaltungsportal finden",
                    "Mit dem Nutzerkonto anmelden",
                    "Antrag ausfüllen und Nachweise hochladen",
                    "Antrag elektronisch absenden",
                    "Bescheid im Postfach des Nutzerkontos abrufen",
                ],
                points=2,
            ),
            _matching(
                "Ordnen Sie die Begriffe ihrer Bedeutung zu.",
                [
                    ("Einer für Alle (EfA)", "Eine Lösung, die viele Länder nachnutzen"),
                    ("Once-Only", "Daten nur einmal angeben; Behörden tauschen Nachweise aus"),
                    ("Portalverbund", "Verknüpfung der Verwaltungsportale von Bund und Ländern"),
                    ("Ende-zu-Ende", "Digital vom Antrag bis zum Bescheid, ohne Medienbruch"),
                ],
                points=2,
                feedback="Diese vier Begriffe tragen die OZG-Umsetzung.",
            ),
            _single(
                "Was bedeutet „Einer für Alle“ (EfA)?",
                [
                    (
                        "Ein Land entwickelt eine Online-Leistung, die anderen nutzen sie nach.",
                        True,
                    ),
                    (
                        "Jede Kommune entwickelt ihre eigene Lösung.",
                        False,
                        "Genau das soll EfA vermeiden.",
                    ),
                    ("Der Bund bearbeitet alle Anträge selbst.", False),
                    ("Alle Anträge werden von einer einzigen Behörde bearbeitet.", False),
                ],
            ),
            _true_false(
                "Nach dem Once-Only-Prinzip müssen Antragstellende Nachweise, die der Verwaltung "
                "schon vorliegen, nicht erneut einreichen.",
                True,
                if_false="Doch: Mit ihrer Zustimmung holt die Behörde den Nachweis selbst ein.",
            ),
            _multiple(
                "Was stärkt das OZG-Änderungsgesetz (OZG 2.0)?",
                [
                    ("die Ende-zu-Ende-Digitalisierung", True),
                    ("die BundID als zentrales Nutzerkonto", True),
                    ("das Once-Only-Prinzip", True),
                    (
                        "die Pflicht zur persönlichen Vorsprache",
                        False,
                        "Im Gegenteil: Schriftform und Erscheinen sollen wo möglich entfallen.",
                    ),
                ],
                points=2,
            ),
            _number(
                "Wie viele Länder bilden gemeinsam mit dem Bund den Portalverbund?",
                16,
                unit="Länder",
            ),
            _short_text(
                "Wie heißt die Anstalt von Bund und Ländern, die die föderale IT-Zusammenarbeit "
                "und die OZG-Umsetzung koordiniert? (Abkürzung)",
                ["FITKO"],
                feedback="Die FITKO (Föderale IT-Kooperation) hat ihren Sitz in Frankfurt am Main.",
            ),
        ],
    },
    # A pool of 14 questions, 10 drawn per attempt; the answers are shown after every attempt.
    "e-akte-praxis": {
        "intro": "<p>Zehn Fragen aus einem größeren Fragenpool – jeder Versuch stellt andere "
        "Fragen. Nach jedem Versuch sehen Sie die richtigen Antworten.</p>",
        "settings": {
            "pass_mark": 60,
            "max_attempts": 3,
            "wait_minutes": 0,
            "draw_count": 10,
            "shuffle_questions": True,
            "questions_per_page": 5,
            "review": QuizPage.Review.AFTER_EACH,
        },
        "questions": [
            _single(
                "Was ordnet der Aktenplan jedem Schriftstück zu?",
                [
                    ("ein Aktenzeichen", True, "Genau: ohne Aktenzeichen keine Ablage."),
                    ("eine Portonummer", False),
                    ("eine Personalnummer", False),
                    ("eine Kostenstelle", False),
                ],
            ),
            _true_false(
                "Nach ersetzendem Scannen gemäß TR-RESISCAN darf das Papieroriginal "
                "grundsätzlich vernichtet werden, wenn es nicht im Original aufzubewahren ist.",
                True,
                if_false="Doch – das heißt „ersetzend“. Ausnahmen gelten etwa für Urkunden.",
            ),
            _short_text(
                "Wie heißt die Technische Richtlinie des BSI zum rechtssicheren ersetzenden "
                "Scannen? (Kurzbezeichnung)",
                ["TR-RESISCAN", "TR RESISCAN", "RESISCAN", "TR-03138", "TR 03138"],
            ),
            _ordering(
                "Bringen Sie die Stationen eines Schriftstücks in die richtige Reihenfolge.",
                [
                    "Posteingang erfassen und scannen",
                    "Dem Aktenplan zuordnen",
                    "Vorgang bearbeiten und mitzeichnen lassen",
                    "Vorgang abschließen (zu den Akten)",
                    "Nach Ablauf der Frist dem Landesarchiv anbieten",
                ],
                points=2,
            ),
            _multiple(
                "Welche Vorteile bietet die elektronische Akte?",
                [
                    ("Zugriff unabhängig von Ort und Zeit", True),
                    ("nachvollziehbare Bearbeitungsschritte", True),
                    ("mehrere Beschäftigte können gleichzeitig lesen", True),
                    (
                        "der Aktenplan wird überflüssig",
                        False,
                        "Der Aktenplan bleibt die Grundlage der Ablage – auch elektronisch.",
                    ),
                ],
                points=2,
            ),
            _matching(
                "Ordnen Sie die Begriffe der Schriftgutverwaltung zu.",
                [
                    ("Akte", "alle Vorgänge zu einer Sache"),
                    ("Vorgang", "die Schriftstücke zu einem Geschäftsfall"),
                    ("Dokument", "ein einzelnes Schriftstück, etwa ein Antrag"),
                    ("Aktenplan", "das Ordnungssystem der Aktenzeichen"),
                ],
                points=2,
            ),
            _true_false(
                "Eine Mitzeichnung in der E-Akte erfordert einen Ausdruck mit handschriftlicher "
                "Paraphe.",
                False,
                if_true="Nein – Mitzeichnungen laufen als elektronischer Geschäftsgang.",
            ),
            _number(
                "Eine Akte wurde 2015 geschlossen. Die Aufbewahrungsfrist beträgt zehn Jahre und "
                "beginnt mit Ablauf des Jahres, in dem die Akte geschlossen wurde. Mit Ablauf "
                "welchen Jahres endet die Frist?",
                2025,
                feedback="Die Frist beginnt am 31.12.2015 und endet mit Ablauf des Jahres 2025.",
            ),
            _single(
                "Wem werden Akten nach Ablauf der Aufbewahrungsfrist angeboten?",
                [
                    (
                        "dem Landesarchiv",
                        True,
                        "Das Archiv entscheidet über die Archivwürdigkeit; erst danach darf "
                        "vernichtet werden.",
                    ),
                    ("der oder dem Datenschutzbeauftragten", False),
                    ("dem Rechnungshof", False),
                    ("der Personalvertretung", False),
                ],
            ),
            _short_text(
                "Wie heißt es, wenn Akten nach Ablauf der Aufbewahrungsfrist dem Archiv "
                "angeboten und danach übergeben oder vernichtet werden?",
                ["Aussonderung", "Aussondern"],
            ),
            _multiple(
                "Welche Angaben gehören zu den Metadaten eines Dokuments in der E-Akte?",
                [
                    ("Eingangsdatum", True),
                    ("Aktenzeichen", True),
                    ("Absender", True),
                    ("Schriftart des Dokuments", False, "Die Schriftart ist kein Metadatum."),
                ],
                partial_credit=False,
                points=2,
                feedback="Ohne Teilpunkte: nur die vollständig richtige Auswahl zählt.",
            ),
            _matching(
                "Wer tut was im elektronischen Geschäftsgang?",
                [
                    ("Federführung", "bearbeitet den Vorgang und entwirft die Antwort"),
                    ("Mitzeichnung", "prüft den Entwurf für die eigene Zuständigkeit"),
                    ("Schlusszeichnung", "gibt das Schreiben abschließend frei"),
                    ("Kenntnisnahme", "wird informiert, ohne zuzustimmen"),
                ],
                points=2,
            ),
            _single(
                "Ein Antrag kommt als PDF per E-Mail. Was tun Sie?",
                [
                    (
                        "E-Mail und Anhang zur E-Akte nehmen und dem Vorgang zuordnen",
                        True,
                        "Genau: elektronische Eingänge gehören direkt in die E-Akte.",
                    ),
                    (
                        "Ausdrucken und in die Papierakte heften",
                        False,
                        "Das wäre ein Medienbruch.",
                    ),
                    (
                        "Im persönlichen Postfach aufbewahren",
                        False,
                        "Dort findet ihn Ihre Vertretung nicht.",
                    ),
                ],
            ),
            _true_false(
                "Ein abgeschlossener Vorgang darf in der E-Akte nachträglich unbemerkt geändert "
                "werden.",
                False,
                if_true="Nein: Änderungen müssen nachvollziehbar bleiben – das sichert die "
                "Integrität der Akte.",
            ),
        ],
    },
    # The annual mandatory training: a 20-minute time limit, answers once passed.
    "informationssicherheit": {
        "intro": "<p>Die jährliche Lernerfolgskontrolle. Sie haben 20 Minuten Zeit; die Uhr "
        "läuft ab dem Start.</p>",
        "settings": {
            "pass_mark": 70,
            "max_attempts": 3,
            "wait_minutes": 0,
            "time_limit_minutes": 20,
            "shuffle_questions": True,
            "questions_per_page": 6,
            "review": QuizPage.Review.AFTER_PASS,
        },
        "questions": [
            _multiple(
                "Welches sind die drei klassischen Schutzziele der Informationssicherheit?",
                [
                    ("Vertraulichkeit", True),
                    ("Integrität", True),
                    ("Verfügbarkeit", True),
                    (
                        "Bequemlichkeit",
                        False,
                        "Bequemlichkeit ist oft eher der Gegenspieler der Sicherheit.",
                    ),
                    ("Wirtschaftlichkeit", False),
                ],
                points=2,
            ),
            _single(
                "Eine E-Mail der „IT-Abteilung“ fordert Sie auf, Ihr Passwort über einen Link zu "
                "bestätigen. Was tun Sie?",
                [
                    (
                        "Den Link nicht öffnen und die E-Mail als Phishing melden",
                        True,
                        "Richtig – die IT fragt nie per E-Mail nach Ihrem Passwort.",
                    ),
                    ("Den Link öffnen, aber nur das alte Passwort eingeben", False),
                    (
                        "Die E-Mail an Kolleginnen und Kollegen weiterleiten, um sie zu warnen",
                        False,
                        "Gut gemeint, verbreitet aber den gefährlichen Link. Melden Sie die "
                        "E-Mail stattdessen.",
                    ),
                    (
                        "Antworten und fragen, ob die E-Mail echt ist",
                        False,
                        "Die Antwort ginge an die Angreifer.",
                    ),
                ],
                points=2,
            ),
            _true_false(
                "Eine lange Passphrase aus mehreren zufälligen Wörtern ist in der Regel sicherer "
                "als ein kurzes Passwort mit Sonderzeichen.",
                True,
                if_false="Doch: Länge schlägt Komplexität – und lange Passphrasen merkt man sich "
                "leichter.",
            ),
            _short_text(
                "Wie heißt die Masche, mit gefälschten E-Mails oder Webseiten Zugangsdaten "
                "abzugreifen?",
                ["Phishing"],
            ),
            _number(
                "Eine PIN besteht aus 4 Ziffern (0–9). Wie viele verschiedene PINs gibt es?",
                10000,
                feedback="10 × 10 × 10 × 10 = 10.000 – ein Rechner probiert sie in "
                "Sekundenbruchteilen durch.",
            ),
            _ordering(
                "Sie haben auf einen verdächtigen Link geklickt. In welcher Reihenfolge handeln "
                "Sie?",
                [
                    "Netzwerkverbindung trennen (Kabel ziehen, WLAN aus)",
                    "Informationssicherheitsbeauftragte oder IT-Service sofort informieren",
                    "Beobachtungen notieren: Uhrzeit, Absender, was geschah",
                    "Gerät erst nach Freigabe durch die IT wieder nutzen",
                ],
                points=2,
                feedback="Erst die Ausbreitung stoppen, dann sofort melden; Notizen helfen bei "
                "der Aufklärung.",
            ),
            _matching(
                "Ordnen Sie die Angriffsarten ihrer Beschreibung zu.",
                [
                    (
                        "Phishing",
                        "gefälschte Nachricht, die zur Eingabe von Zugangsdaten verleitet",
                    ),
                    ("Ransomware", "Schadsoftware, die Daten verschlüsselt und Lösegeld fordert"),
                    ("CEO-Fraud", "angebliche Anweisung der Leitung zu einer eiligen Zahlung"),
                    (
                        "Social Engineering",
                        "Manipulation von Menschen, um an Informationen zu kommen",
                    ),
                ],
                points=2,
            ),
            _true_false(
                "Einen Verdacht melden Sie erst, wenn sicher ist, dass ein Sicherheitsvorfall "
                "vorliegt.",
                False,
                if_true="Nein – melden Sie schon den Verdacht sofort. Lieber einmal zu viel als "
                "zu spät.",
            ),
            _single(
                "Was ist ein zweiter Faktor bei der Anmeldung?",
                [
                    ("ein Code aus einer Authenticator-App auf dem Diensthandy", True),
                    (
                        "ein zweites, anderes Passwort",
                        False,
                        "Zwei Passwörter sind derselbe Faktor: Wissen.",
                    ),
                    ("der Benutzername", False),
                    ("die Sicherheitsfrage nach dem Geburtsort", False),
                ],
            ),
            _multiple(
                "Woran erkennen Sie eine Phishing-Mail häufig?",
                [
                    ("Die Absenderadresse passt nicht zur angeblichen Organisation.", True),
                    ("Zeitdruck oder Drohungen („Ihr Konto wird gesperrt“)", True),
                    ("Das Linkziel weicht vom angezeigten Linktext ab.", True),
                    (
                        "Die E-Mail ist in fehlerfreiem Deutsch geschrieben.",
                        False,
                        "Kein sicheres Zeichen: Phishing-Mails sind heute oft fehlerfrei.",
                    ),
                ],
                points=2,
            ),
            _short_text(
                "Wem melden Sie einen Sicherheitsvorfall in Ihrer Behörde? (Funktion; die "
                "Abkürzung genügt)",
                [
                    "ISB",
                    "Informationssicherheitsbeauftragter",
                    "Informationssicherheitsbeauftragte",
                    "Informationssicherheitsbeauftragten",
                ],
                feedback="Je nach Regelung Ihrer Behörde zusätzlich dem IT-Service.",
            ),
            _single(
                "Sie finden einen USB-Stick auf dem Parkplatz der Behörde. Was tun Sie?",
                [
                    ("Ungeöffnet beim IT-Service oder der bzw. dem ISB abgeben", True),
                    (
                        "An den Dienstrechner anschließen, um den Besitzer zu finden",
                        False,
                        "Genau darauf setzen Angreifer: Der Stick kann Schadsoftware enthalten.",
                    ),
                    ("Privat weiterverwenden", False),
                ],
            ),
        ],
    },
    # A waiting time of 15 minutes between attempts; answers after every attempt.
    "barrierefreie-dokumente": {
        "intro": "<p>Zehn Fragen zu barrierefreien Dokumenten. Zwischen zwei Versuchen liegen "
        "15 Minuten – Zeit, die Lektionen noch einmal anzusehen.</p>",
        "settings": {
            "pass_mark": 60,
            "max_attempts": 3,
            "wait_minutes": 15,
            "questions_per_page": 5,
            "review": QuizPage.Review.AFTER_EACH,
        },
        "questions": [
            _short_text(
                "Wie heißt die Verordnung des Bundes zur barrierefreien Informationstechnik? "
                "(Kurzbezeichnung)",
                ["BITV 2.0", "BITV", "BITV2.0", "BITV 2"],
                feedback="Die Barrierefreie-Informationstechnik-Verordnung; die Länder haben "
                "eigene, vergleichbare Regelungen.",
            ),
            _single(
                "Wie legen Sie in Word eine Überschrift barrierefrei an?",
                [
                    ("mit der Formatvorlage „Überschrift 1“, „Überschrift 2“ …", True),
                    (
                        "fett und in größerer Schrift",
                        False,
                        "Sieht aus wie eine Überschrift, ist für Screenreader aber normaler Text.",
                    ),
                    ("unterstrichen", False),
                    ("in einem Textfeld", False),
                ],
            ),
            _true_false(
                "Ein guter Alternativtext beschreibt, was ein Bild aussagt, nicht wie es aussieht.",
                True,
                if_false="Doch: Entscheidend ist die Aussage des Bildes im Zusammenhang.",
            ),
            _multiple(
                "Was macht ein PDF barrierefreier?",
                [
                    ("Tags (Strukturelemente)", True),
                    ("eine festgelegte Dokumentsprache", True),
                    ("Alternativtexte für informative Grafiken", True),
                    (
                        "Text als eingescanntes Bild",
                        False,
                        "Ein Bild von Text kann ein Screenreader nicht vorlesen.",
                    ),
                ],
                points=2,
            ),
            _ordering(
                "Bringen Sie die Schritte zum barrierefreien PDF aus Word in eine sinnvolle "
                "Reihenfolge.",
                [
                    "Formatvorlagen für Überschriften und Listen verwenden",
                    "Alternativtexte für Bilder ergänzen",
                    "Mit der Barrierefreiheitsprüfung von Word kontrollieren",
                    "Als PDF mit Dokumentstruktur-Tags exportieren",
                    "Das PDF mit einem Prüfwerkzeug wie PAC testen",
                ],
                points=2,
            ),
            _matching(
                "Was erkennt ein Screenreader woran?",
                [
                    ("Formatvorlage „Überschrift 2“", "eine Überschrift der zweiten Ebene"),
                    ("Aufzählung mit der Listenfunktion", "eine Liste mit ihrer Anzahl Einträge"),
                    ("Tabelle mit Kopfzeile", "Spaltenüberschriften, die mit vorgelesen werden"),
                    ("Bild mit Alternativtext", "eine Beschreibung der Bildaussage"),
                ],
                points=2,
            ),
            _number(
                "Welches Kontrastverhältnis braucht normaler Text zu seinem Hintergrund nach "
                "WCAG, Stufe AA, mindestens? (x für x:1)",
                "4.5",
                unit=": 1",
                feedback="Für großen Text genügt 3 : 1.",
            ),
            _true_false(
                "Farbe allein genügt, um wichtige Informationen zu kennzeichnen, etwa „rot "
                "markierte Felder sind Pflicht“.",
                False,
                if_true="Nein – wer Farben nicht unterscheiden kann, verliert die Information. "
                "Ergänzen Sie Text oder Symbole.",
            ),
            _single(
                "Welcher Linktext ist barrierefrei?",
                [
                    ("„Antragsformular Wohngeld (PDF, 200 KB)“", True),
                    (
                        "„hier klicken“",
                        False,
                        "Screenreader listen Links oft einzeln auf – „hier“ sagt dann nichts.",
                    ),
                    ("„mehr“", False),
                    ("die ausgeschriebene Internetadresse", False),
                ],
            ),
            _short_text(
                "Welche Dateieigenschaft sollten Sie immer ausfüllen, weil Screenreader sie als "
                "Erstes vorlesen?",
                ["Titel", "Dokumenttitel", "den Titel"],
            ),
        ],
    },
}
