"""Videos in lessons come only from YouTube (privacy-enhanced mode) and Vimeo (do not track),
the players the site's Content-Security-Policy lets into frames."""

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders import get_finders
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from lms.security.embeds import PrivacyEnhancedVideoFinder


class FakeResponse:
    def __init__(self, payload):
        self.payload = payload

    def raise_for_status(self):
        pass

    def json(self):
        return self.payload


@pytest.fixture
def provider_says(monkeypatch):
    """Answers the finder's oEmbed request with the given HTML; records what was asked."""
    asked = []

    def answer(html):
        def get(url, params=None, **kwargs):
            asked.append((url, params))
            return FakeResponse({"type": "video", "title": "Erklärfilm", "html": html})

        monkeypatch.setattr("wagtail.embeds.finders.oembed.requests.get", get)
        return asked

    return answer


def test_lessons_use_the_privacy_enhanced_finder_only():
    assert [type(finder) for finder in get_finders()] == [PrivacyEnhancedVideoFinder]


def test_youtube_plays_from_youtube_nocookie(provider_says):
    provider_says(
        '<iframe width="200" height="113" frameborder="0" allowfullscreen title="Erklärfilm" '
        'src="https://www.youtube.com/embed/abc123?feature=oembed"></iframe>'
    )
    embed = PrivacyEnhancedVideoFinder().find_embed("https://www.youtube.com/watch?v=abc123")
    assert 'src="https://www.youtube-nocookie.com/embed/abc123?feature=oembed"' in embed["html"]
    assert 'title="Erklärfilm"' in embed["html"]


def test_vimeo_plays_with_do_not_track(provider_says):
    provider_says('<iframe src="https://player.vimeo.com/video/76979871?app_id=122963"></iframe>')
    embed = PrivacyEnhancedVideoFinder().find_embed("https://vimeo.com/76979871")
    assert 'src="https://player.vimeo.com/video/76979871?app_id=122963&amp;dnt=1"' in embed["html"]


def test_only_the_player_is_kept_of_the_providers_html(provider_says):
    provider_says(
        '<div style="padding:56% 0 0 0"><iframe src="https://player.vimeo.com/video/1" '
        'style="position:absolute" onload="alert(1)"></iframe></div>'
        '<script src="https://player.vimeo.com/api/player.js"></script>'
    )
    html = PrivacyEnhancedVideoFinder().find_embed("https://vimeo.com/1")["html"]
    assert html == '<iframe loading="lazy" src="https://player.vimeo.com/video/1?dnt=1"></iframe>'


def test_every_player_origin_is_allowed_by_the_frame_policy(provider_says):
    provider_says('<iframe src="https://www.youtube.com/embed/abc123"></iframe>')
    html = PrivacyEnhancedVideoFinder().find_embed("https://youtu.be/abc123")["html"]
    assert "https://www.youtube-nocookie.com/" in html
    assert "https://www.youtube-nocookie.com" in settings.CSP_FRAME_ORIGINS


def test_other_video_platforms_are_not_embedded(provider_says):
    asked = provider_says('<iframe src="https://www.dailymotion.com/embed/video/x1"></iframe>')
    finder = PrivacyEnhancedVideoFinder()
    assert not finder.accept("https://www.dailymotion.com/video/x1")
    with pytest.raises(EmbedNotFoundException):
        finder.find_embed("https://www.dailymotion.com/video/x1")
    assert asked == []


def test_a_player_from_elsewhere_is_refused(provider_says):
    provider_says('<iframe src="https://tracker.example/player/1"></iframe>')
    with pytest.raises(EmbedNotFoundException):
        PrivacyEnhancedVideoFinder().find_embed("https://vimeo.com/1")


def test_an_answer_without_a_player_is_refused(provider_says):
    provider_says('<img src="https://i.vimeocdn.com/1.jpg">')
    with pytest.raises(EmbedNotFoundException):
        PrivacyEnhancedVideoFinder().find_embed("https://vimeo.com/1")


@pytest.mark.django_db
def test_a_trainer_is_told_when_a_video_address_cannot_be_embedded(admin_client, lesson):
    form = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield(
                [
                    (
                        "video",
                        {
                            "video": "https://www.dailymotion.com/video/x1",
                            "title": "Erklärfilm",
                            "transcript": rich_text("<p>Gesprochener Text.</p>"),
                        },
                    )
                ]
            ),
            "required": "on",
            "duration_minutes": 10,
        }
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[lesson.pk]), form)
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
