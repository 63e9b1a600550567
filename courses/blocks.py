"""StreamField blocks for lesson content."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Level 2")), ("h3", _("Level 3"))], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=300,
        help_text=_("Describes the image for people who cannot see it (required)."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"))
    title = blocks.CharBlock(label=_("title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("transcript"),
        features=["bold", "italic", "ol", "ul"],
        help_text=_("Full text of what is said, for accessibility (required)."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("link text"), max_length=200, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


class NoticeBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning"))],
        default="info",
        label=_("kind"),
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        label = _("Info or warning box")
        template = "courses/blocks/notice.html"


class TakeawayBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic"])

    class Meta:
        icon = "pick"
        label = _("Key takeaway (Merksatz)")
        template = "courses/blocks/takeaway.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    content = blocks.RichTextBlock(label=_("content"), features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    items = blocks.ListBlock(AccordionItemBlock(), label=_("sections"))

    class Meta:
        icon = "list-ul"
        label = _("Accordion")
        template = "courses/blocks/accordion.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    notice = NoticeBlock()
    takeaway = TakeawayBlock()
    accordion = AccordionBlock()
