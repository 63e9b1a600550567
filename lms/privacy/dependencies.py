"""Declarations for the models of Django, Wagtail and allauth, and of `home` (no module of its own).

The project's apps declare their own models in their `privacy` module.
"""

from django.utils.translation import gettext_lazy as _

from lms.personal_data import legal_bases
from lms.personal_data.registry import WITH_ACCOUNT, Category, Erasure, Retention, exempt, register

AS_LONG_AS_THE_CONTENT = Retention.as_long_as(
    _("As long as the content; the links to the person are removed with their account.")
)

# --- Accounts ----------------------------------------------------------------------------------

register(
    "account.EmailAddress",
    category=Category.ACCOUNTS,
    holds=["email", "verified", "primary"],
    purpose=_("The address a person signs in with, and whether they have confirmed it."),
    legal_basis=legal_bases.OPERATION,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)
register(
    "wagtailusers.UserProfile",
    category=Category.ACCOUNTS,
    holds=[
        "preferred_language",
        "current_time_zone",
        "avatar",
        "submitted_notifications",
        "approved_notifications",
        "rejected_notifications",
        "updated_comments_notifications",
        "theme",
        "contrast",
        "density",
        "keyboard_shortcuts",
        "dismissibles",
    ],
    purpose=_(
        "Settings of staff in the administration: language, time zone, notifications, display, "
        "and an optional profile picture."
    ),
    legal_basis=legal_bases.STAFF_WORK,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)

# --- Sign-in and security ----------------------------------------------------------------------

register(
    "sessions.Session",
    category=Category.SIGN_IN,
    person=(),  # The person's id is inside the encoded session data.
    holds=["session_data", "expire_date"],
    purpose=_("Keep a person signed in between pages; holds who is signed in and how."),
    legal_basis=legal_bases.NECESSARY_COOKIE,
    retention=Retention.days_after("sessions", "expire_date"),
    erasure=Erasure.DELETE,
)
register(
    "account.EmailConfirmation",
    category=Category.SIGN_IN,
    person="email_address__user",
    holds=["email_address", "key", "created", "sent"],
    purpose=_("Links sent by e-mail to confirm an address."),
    legal_basis=legal_bases.OPERATION,
    retention=Retention.days_after("confirmation_links", "sent", "created"),
    erasure=Erasure.DELETE,
)
register(
    "socialaccount.SocialAccount",
    category=Category.SIGN_IN,
    holds=["provider", "uid", "extra_data", "last_login", "date_joined"],
    purpose=_(
        "Sign-in with the state's single sign-on: the person's identity there and the "
        "attributes it sent at the last sign-in."
    ),
    legal_basis=legal_bases.OPERATION,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)
register(
    "socialaccount.SocialToken",
    category=Category.SIGN_IN,
    person="account__user",
    holds=["app", "token", "token_secret", "expires_at"],
    purpose=_("Access tokens from the single sign-on, if storing them is switched on."),
    legal_basis=legal_bases.OPERATION,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)
register(
    "mfa.Authenticator",
    category=Category.SIGN_IN,
    holds=["type", "data", "created_at", "last_used_at"],
    purpose=_("Second factor for signing in (authenticator app, recovery codes)."),
    legal_basis=legal_bases.SECURITY,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)
register(
    "wagtailcore.APIToken",
    category=Category.SIGN_IN,
    holds=["name", "key_hash", "prefix", "created", "last_used_at", "revoked_at"],
    purpose=_("Tokens with which a person's programs use the content API, if they create any."),
    legal_basis=legal_bases.OPERATION,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)

# --- Editing and administration by staff -------------------------------------------------------

register(
    "wagtailcore.Page",
    category=Category.STAFF_WORK,
    person=["owner", "locked_by"],
    holds=["locked_at"],
    purpose=_("Who created a page, and who has locked it against editing by others."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=AS_LONG_AS_THE_CONTENT,
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtailcore.Revision",
    category=Category.STAFF_WORK,
    holds=["created_at", "object_str", "content"],
    purpose=_("Earlier versions of pages and who saved them, for review, comparison and undo."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=AS_LONG_AS_THE_CONTENT,
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtailcore.WorkflowState",
    category=Category.STAFF_WORK,
    person="requested_by",
    holds=["status", "created_at"],
    purpose=_("Review before publishing: who submitted a page for review."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=AS_LONG_AS_THE_CONTENT,
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtailcore.TaskState",
    category=Category.STAFF_WORK,
    person="finished_by",
    holds=["status", "finished_at", "comment"],
    purpose=_("Review before publishing: who approved or rejected a page, with their comment."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=AS_LONG_AS_THE_CONTENT,
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtailcore.Comment",
    category=Category.STAFF_WORK,
    person=["user", "resolved_by"],
    holds=["text", "created_at", "updated_at", "resolved_at"],
    purpose=_("Comments of authors and reviewers on pages, and who resolved them."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.as_long_as(
        _("As long as the page; deleted with the account of the person who wrote it.")
    ),
    erasure=Erasure.DELETE,
)
register(
    "wagtailcore.CommentReply",
    category=Category.STAFF_WORK,
    holds=["text", "created_at", "updated_at"],
    purpose=_("Replies to comments on pages."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.as_long_as(
        _("As long as the comment; deleted with the account of the person who wrote it.")
    ),
    erasure=Erasure.DELETE,
)
register(
    "wagtailcore.PageSubscription",
    category=Category.STAFF_WORK,
    holds=["page", "comment_notifications"],
    purpose=_("Which pages a person wants to be notified about when they are commented on."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=WITH_ACCOUNT,
    erasure=Erasure.DELETE,
)
register(
    "wagtailimages.Image",
    category=Category.STAFF_WORK,
    person="uploaded_by_user",
    holds=["created_at"],
    purpose=_("Who uploaded an image. Images themselves may show people."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=AS_LONG_AS_THE_CONTENT,
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtaildocs.Document",
    category=Category.STAFF_WORK,
    person="uploaded_by_user",
    holds=["created_at"],
    purpose=_("Who uploaded a document."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=AS_LONG_AS_THE_CONTENT,
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtailcore.UploadedFile",
    category=Category.STAFF_WORK,
    person="uploaded_by_user",
    holds=["file"],
    purpose=_("Files uploaded in bulk while their details are still being filled in."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.as_long_as(
        _(
            "Until the upload becomes an image or document; the uploader is removed with their "
            "account."
        )
    ),
    erasure=Erasure.ANONYMISE,
)
register(
    "wagtailadmin.EditingSession",
    category=Category.STAFF_WORK,
    holds=["content_type", "object_id", "last_seen_at", "is_editing"],
    purpose=_("Shows editors who else is editing the same page right now."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.days_after("editing_traces", "last_seen_at"),
    erasure=Erasure.DELETE,
)
register(
    "wagtailadmin.FormState",
    category=Category.STAFF_WORK,
    holds=["data", "content_type", "object_id", "last_updated_at"],
    purpose=_("Unsaved form contents kept for the preview while someone edits."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.days_after("editing_traces", "last_updated_at"),
    erasure=Erasure.DELETE,
)

# --- Change history ----------------------------------------------------------------------------

register(
    "wagtailcore.PageLogEntry",
    category=Category.AUDIT,
    holds=["page", "action", "label", "data", "timestamp"],
    purpose=_("History of changes to pages: who created, edited, published or moved what, when."),
    legal_basis=legal_bases.SECURITY,
    retention=Retention.days_after("audit_log", "timestamp"),
    erasure=Erasure.DELETE,
)
register(
    "wagtailcore.ModelLogEntry",
    category=Category.AUDIT,
    holds=["content_type", "object_id", "action", "label", "data", "timestamp"],
    purpose=_(
        "History of changes in the administration, e.g. to people, the organisation and "
        "settings: who changed what, when. The label names the changed object, so a person "
        "whose account was changed is named too."
    ),
    legal_basis=legal_bases.SECURITY,
    retention=Retention.days_after("audit_log", "timestamp"),
    erasure=Erasure.DELETE,
)

# --- Merely looking personal -------------------------------------------------------------------

exempt(
    "wagtailembeds.Embed",
    reason=_(
        "Cache of embedded media from other sites (e.g. videos); “author name” is the public "
        "publisher the provider reports, not a person using the platform."
    ),
)
