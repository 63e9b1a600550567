"""Lesson text cannot run scripts on the learner's page.

Rich text reaches the database in two ways: through the Wagtail editor, whose converter keeps
only whitelisted elements and URL schemes, or directly (shell, data migration, import, a future
API). Wagtail's ``expand_db_html`` only rewrites its own ``<a linktype>`` and ``<embed>`` tags, so
every rendering of rich text, the ``richtext`` filter and ``RichTextBlock`` values alike, is
cleaned by lms.security.rich_text. The site's Content-Security-Policy (script-src 'self', no
'unsafe-inline') stops inline scripts, event handlers and javascript: URLs in the browser too.
"""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import LessonPage, QuizAttempt, QuizPage
from home.demo import seed_accessibility_statement
from home.models import HomePage
from lms.security.csp import HEADER
from lms.security.rich_text import rich_text_clean
from tests.courses.conftest import publish

pytestmark = pytest.mark.django_db

ATTACK_HTML = (
    '<p><a href="javascript:alert(1)">Zum Formular</a> '
    '<img src="x" onerror="alert(2)"/> <script>alert(3)</script> Text bleibt.</p>'
)

# What a crafted POST can send instead of the editor's output: Draftail's content state with a
# javascript: link, an image entity with an event handler, and a script tag as text.
ATTACK_CONTENTSTATE = json.dumps(
    {
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "depth": 0,
                "text": "Zum Formular <script>alert(3)</script> Text bleibt.",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 12, "key": 0}],
                "data": {},
            },
            {
                "key": "d3e4f",
                "type": "atomic",
                "depth": 0,
                "text": " ",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 1, "key": 1}],
                "data": {},
            },
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}},
            "1": {
                "type": "IMAGE",
                "mutability": "IMMUTABLE",
                "data": {"src": "x", "onerror": "alert(2)", "id": 1, "alt": ""},
            },
        },
    }
)


def lesson_body(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find(class_="lesson-body")


def scripts_in(body):
    """Everything in the body that a browser without a policy would run."""
    found = [str(tag) for tag in body.find_all("script")]
    for tag in body.find_all(True):
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name.lower().startswith("on")]
        found += [
            f"{tag.name}[{name}]"
            for name, value in tag.attrs.items()
            if isinstance(value, str) and value.strip().lower().startswith("javascript:")
        ]
    return found


def save_through_the_admin(admin_client, lesson, text_value):
    form = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield([("text", text_value)]),
            "required": "on",
            "duration_minutes": 10,
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), form)
    assert response.status_code == 302, response.context["form"].errors
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.mark.parametrize(
    "text_value",
    [rich_text(ATTACK_HTML), ATTACK_CONTENTSTATE],
    ids=["html-through-the-editor-converter", "crafted-content-state"],
)
def test_text_saved_in_the_admin_renders_without_scripts(
    admin_client, learner_client, lesson, text_value
):
    saved = save_through_the_admin(admin_client, lesson, text_value)
    stored = saved.body[0].value.source
    assert "javascript:" not in stored
    assert "onerror" not in stored
    assert "<script" not in stored

    admin_client.logout()
    body = lesson_body(learner_client.get(saved.url))
    assert scripts_in(body) == []
    assert "Zum Formular" in body.get_text()


def test_text_stored_directly_is_still_blocked_by_the_pages_policy(learner_client, lesson):
    lesson.body = [("text", ATTACK_HTML)]
    publish(lesson)
    response = learner_client.get(lesson.url)
    # Whatever the markup, the browser runs no inline script, handler or javascript: URL.
    policy = response[HEADER]
    assert "script-src 'self';" in policy
    assert "'unsafe-inline'" not in policy


def test_text_stored_directly_renders_without_scripts(learner_client, lesson):
    lesson.body = [("text", ATTACK_HTML)]
    publish(lesson)
    body = lesson_body(learner_client.get(lesson.url))
    assert scripts_in(body) == []
    assert "alert(" not in str(body)
    assert "Zum Formular" in body.get_text()
    assert "Text bleibt." in body.get_text()


def main_content(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").find("main")


# Text stored directly, wherever learners see rich text


@pytest.mark.parametrize(
    "block",
    [
        ("notice", {"kind": "warning", "text": ATTACK_HTML}),
        ("takeaway", {"text": ATTACK_HTML}),
        ("accordion", {"items": [{"title": "Mehr", "content": ATTACK_HTML}]}),
    ],
    ids=lambda block: block[0],
)
def test_text_in_other_lesson_blocks_renders_without_scripts(learner_client, lesson, block):
    lesson.body = [block]
    publish(lesson)
    body = lesson_body(learner_client.get(lesson.url))
    assert scripts_in(body) == []
    assert "alert(" not in str(body)
    assert "Text bleibt." in body.get_text()


def _home(course):
    return HomePage.objects.get(pk=course.get_parent().get_parent().pk), ["intro"]


def _catalog(course):
    return course.get_parent().specific, ["intro"]


def _course(course):
    return course, ["objectives"]


def _quiz(course):
    quiz = course.add_child(
        instance=QuizPage(title="Abschlusstest", questions=[QUESTION], max_attempts=3)
    )
    return quiz, ["intro"]


def _accessibility_statement(course):
    return seed_accessibility_statement(), ["barriers", "enforcement"]


QUESTION = (
    "true_false",
    {"prompt": "Die E-Akte ist Pflicht.", "points": Decimal(1), "correct": True},
)


@pytest.mark.parametrize(
    "page_with_fields",
    [_home, _catalog, _course, _quiz, _accessibility_statement],
    ids=["home-intro", "catalog-intro", "course-objectives", "quiz-intro", "accessibility"],
)
def test_rich_text_fields_stored_directly_render_without_scripts(
    learner_client, course, page_with_fields
):
    page, fields = page_with_fields(course)
    for name in fields:
        setattr(page, name, ATTACK_HTML)
    publish(page)
    main = main_content(learner_client.get(page.url))
    assert scripts_in(main) == []
    assert "alert(" not in str(main)
    assert main.get_text().count("Text bleibt.") == len(fields)


def test_question_texts_are_shown_as_text_not_markup(learner_client, course):
    quiz, _ = _quiz(course)
    prompt = 'Was zeigt <img src="x" onerror="alert(4)"> an?'
    quiz.questions = [("true_false", {**QUESTION[1], "prompt": prompt})]
    publish(quiz)
    learner_client.post(f"/lernen/test/{quiz.pk}/starten/")
    attempt = QuizAttempt.objects.get(quiz=quiz)
    response = learner_client.get(f"/lernen/versuch/{attempt.pk}/seite/1/")
    main = main_content(response)
    assert main.find("img") is None
    assert prompt in main.get_text()


# What the editor's features produce stays as it is


def test_formatting_and_links_to_pages_and_documents_survive(learner_client, course, lesson):
    document = Document.objects.create(
        title="Handreichung", file=ContentFile(b"%PDF-1.4 Test", name="handreichung.pdf")
    )
    lesson.body = [
        (
            "text",
            "<h3>Überblick</h3>"
            f'<p><b>Fett</b>, <i>kursiv</i>, <a linktype="page" id="{course.pk}">zum Kurs</a>, '
            f'<a linktype="document" id="{document.pk}">Handreichung</a> und '
            '<a href="https://www.onlinezugangsgesetz.de/">OZG-Seite</a>.</p>'
            "<ul><li>eins</li></ul><ol><li>zwei</li></ol>",
        )
    ]
    publish(lesson)
    body = lesson_body(learner_client.get(lesson.url))
    assert body.find("h3").get_text() == "Überblick"
    assert body.find("b").get_text() == "Fett"
    assert body.find("i").get_text() == "kursiv"
    links = {link.get_text(): link["href"] for link in body.find_all("a")}
    assert links == {
        "zum Kurs": course.url,
        "Handreichung": document.url,
        "OZG-Seite": "https://www.onlinezugangsgesetz.de/",
    }
    assert [item.get_text() for item in body.find_all("li")] == ["eins", "zwei"]


# The cleaner itself


@pytest.mark.parametrize(
    "html",
    [
        '<p onclick="alert(1)">Text</p>',
        '<img src="bild.png" onerror="alert(1)" alt="Bild">',
        '<a href="/kurse/" onmouseover="alert(1)">Kurse</a>',
        '<b ONFOCUS="alert(1)" tabindex="0">fett</b>',
        '<details open ontoggle="alert(1)">x</details>',
    ],
)
def test_event_handlers_are_removed(html):
    cleaned = BeautifulSoup(rich_text_clean(html), "html.parser")
    assert scripts_in(cleaned) == []
    assert "alert" not in str(cleaned)


@pytest.mark.parametrize(
    "html",
    [
        '<a href="javascript:alert(1)">Link</a>',
        '<a href="  JaVaScRiPt:alert(1)">Link</a>',
        '<a href="java&#x09;script:alert(1)">Link</a>',
        '<a href="&#106;avascript:alert(1)">Link</a>',
        '<a href="vbscript:msgbox(1)">Link</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Link</a>',
        '<img src="javascript:alert(1)" alt="Link">',
        '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="Link">',
    ],
)
def test_script_and_data_urls_are_removed_and_the_text_stays(html):
    cleaned = BeautifulSoup(rich_text_clean(html), "html.parser")
    assert [tag.attrs for tag in cleaned.find_all(["a", "img"])] in ([{}], [{"alt": "Link"}])
    assert "Link" in str(cleaned)


@pytest.mark.parametrize(
    "html",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg onload="alert(1)"><circle r="4"/></svg>',
        '<svg><a xlink:href="javascript:alert(1)"><text>klick</text></a></svg>',
        '<svg><animate onbegin="alert(1)" attributeName="x"/></svg>',
        "<math><mtext><script>alert(1)</script></mtext></math>",
    ],
)
def test_svg_and_mathml_are_removed_with_their_scripts(html):
    assert rich_text_clean(f"<p>Vorher</p>{html}<p>Nachher</p>") == "<p>Vorher</p><p>Nachher</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<style>body { display: none }</style>",
        '<object data="film.swf"></object>',
        '<embed src="film.swf">',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<form action="https://angreifer.example/"><input name="passwort"></form>',
        '<meta http-equiv="refresh" content="0;url=https://angreifer.example/">',
        '<base href="https://angreifer.example/">',
        '<link rel="stylesheet" href="https://angreifer.example/s.css">',
        '<p style="background: url(https://angreifer.example/x)">Text</p>',
    ],
)
def test_styles_plugins_forms_and_foreign_frames_are_removed(html):
    cleaned = rich_text_clean(html)
    assert "angreifer" not in cleaned
    assert "alert" not in cleaned
    assert not BeautifulSoup(cleaned, "html.parser").find(
        ["style", "object", "embed", "form", "input", "meta", "base", "link"]
    )


def test_frames_keep_only_addresses_of_the_allowed_video_players():
    cleaned = rich_text_clean(
        '<div class="responsive-object" style="padding-bottom: 56.25%;">'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" width="640" title="Video" '
        'allowfullscreen onload="alert(1)"></iframe></div>'
        '<iframe src="https://angreifer.example/"></iframe>'
    )
    assert cleaned == (
        '<div class="responsive-object">'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" width="640" title="Video" '
        'allowfullscreen=""></iframe></div><iframe></iframe>'
    )


def test_what_wagtails_features_render_is_kept_as_it_is():
    html = (
        "<h2>Zwei</h2><h3>Drei</h3><h4>Vier</h4>"
        '<p lang="en"><b>b</b> <i>i</i> <a href="/kurse/e-akte/">Seite</a> '
        '<a href="/documents/1/handreichung.pdf">Dokument</a> '
        '<a href="mailto:lernzentrum@verwaltung.example">E-Mail</a> <a href="#teil-2">Teil 2</a>'
        "<br>Zeile</p><ul><li>eins</li></ul><ol><li>zwei</li></ol><hr>"
        '<img alt="Schaubild" class="richtext-image left" height="300" '
        'src="/media/images/schaubild.width-500.png" width="500">'
    )
    assert rich_text_clean(html) == html
