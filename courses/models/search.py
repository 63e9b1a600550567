"""The catalogue's search text: one row per course, normalised for German and English."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseSearchText(models.Model):
    """What the catalogue search matches, kept current whenever a course or lesson is published.

    Three tiers, so that hits rank by where they are: the course title, the headings (lesson
    titles and topics) and the whole text (title, headings, summary, objectives, lesson text).
    Every column is normalised by `courses.search.search_normalise`.
    """

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    title = models.TextField(_("title"))
    headings = models.TextField(_("headings"), blank=True)
    text = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course search text")
        verbose_name_plural = _("course search texts")

    def __str__(self):
        return self.title
