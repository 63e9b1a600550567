"""Certificate templates: what a certificate looks like and says, edited by centre admins."""

import string

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

# Placeholders a body text may use; filled in when a certificate is issued.
PLACEHOLDERS = {
    "name": _("the person's name"),
    "course": _("the course title"),
    "date": _("the date of completion"),
    "duration": _("the course's duration"),
    "authority": _("the person's authority"),
    "valid_until": _("valid until (or 'unlimited')"),
}

ERROR_UNKNOWN_PLACEHOLDER = _("Unknown placeholder {%(name)s}. Allowed: %(allowed)s.")
ERROR_BROKEN_PLACEHOLDER = _(
    "A curly brace is not closed or not opened. Write placeholders as {name}."
)

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB, for example #004B87.")
)


def placeholders_check(text: str) -> None:
    """Refuse placeholders the issuer cannot fill, naming them, before anything is saved."""
    allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    try:
        fields = [
            (name, spec, conversion)
            for _literal, name, spec, conversion in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError:
        raise ValidationError(ERROR_BROKEN_PLACEHOLDER) from None
    for name, spec, conversion in fields:
        # Only the plain form {name}: a format spec or conversion ({name:d}, {name!r}) could
        # fail when a certificate is issued, long after the template was saved.
        shown = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(ERROR_UNKNOWN_PLACEHOLDER % {"name": shown, "allowed": allowed})


class CertificateTemplate(ClusterableModel):
    """Texts, logo, signatures and colours of a certificate, in German and English.

    Every saved change raises `version`; a certificate records the version it was issued with
    and keeps its own copy of what it says, so editing a template changes no issued certificate.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        help_text=_("Printed above the title, e.g. the centre and its department."),
    )
    title_de = models.CharField(_("title (German)"), max_length=80, default="Zertifikat")
    body_de = models.TextField(
        _("text (German)"),
        max_length=1200,
        validators=[placeholders_check],
        help_text=_(
            "Placeholders: {name}, {course}, {date}, {duration}, {authority}, {valid_until}."
        ),
    )
    title_en = models.CharField(_("title (English)"), max_length=80, blank=True)
    body_en = models.TextField(
        _("text (English)"),
        max_length=1200,
        blank=True,
        validators=[placeholders_check],
        help_text=_("Leave empty to issue in German to English-speaking learners too."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    colour_primary = models.CharField(
        _("main colour"), max_length=7, default="#004B87", validators=[colour_validator]
    )
    colour_accent = models.CharField(
        _("accent colour"), max_length=7, default="#C8102E", validators=[colour_validator]
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("issuer"),
        MultiFieldPanel([FieldPanel("title_de"), FieldPanel("body_de")], heading=_("German")),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("body_en")], heading=_("English")),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldRowPanel([FieldPanel("colour_primary"), FieldPanel("colour_accent")]),
            ],
            heading=_("Design"),
        ),
        InlinePanel("signatures", max_num=2, label=_("signature")),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.version = models.F("version") + 1
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)
        if self.pk is not None and isinstance(self.version, models.expressions.Combinable):
            self.refresh_from_db(fields=["version"])

    def texts(self, language: str) -> tuple[str, str]:
        """Title and body in the language, German where the English variant is empty."""
        if language == "en" and self.body_en.strip():
            return self.title_en or self.title_de, self.body_en
        return self.title_de, self.body_de


class CertificateSignature(Orderable):
    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="signatures")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120)
    function = models.CharField(_("function"), max_length=160)

    panels = [FieldPanel("image"), FieldPanel("name"), FieldPanel("function")]

    class Meta(Orderable.Meta):
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return self.name
