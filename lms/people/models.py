from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .roles import STAFF_ROLES, Role


class AuthorityKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry (Ressort)")
    AUTHORITY = "authority", _("Authority (Behörde)")
    UNIT = "unit", _("Organisational unit")


# Which kind of node may sit under which; None is the root of the tree.
ALLOWED_PARENT_KINDS = {
    AuthorityKind.MINISTRY: {None},
    AuthorityKind.AUTHORITY: {AuthorityKind.MINISTRY, AuthorityKind.AUTHORITY},
    AuthorityKind.UNIT: {AuthorityKind.AUTHORITY, AuthorityKind.UNIT},
}


class Authority(MP_Node):
    """A node of the organisation: ministry (Ressort) > authority (Behörde) > unit."""

    name = models.CharField(_("name"), max_length=200)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=30,
        unique=True,
        help_text=_("Short code used in imports and reports, e.g. RPDA."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorityKind.choices)

    # No node_order_by: sorted insertion would rewrite siblings' paths on every insert and leave
    # objects held in memory stale. Siblings keep the order in which they were created.

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisation")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                Lower("abbreviation"),
                name="people_authority_abbreviation_ci_unique",
                violation_error_message=_("This abbreviation is already in use."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})"

    def indented_name(self):
        """Name indented by depth, so flat lists and choices show the tree."""
        return "\u2003" * (self.depth - 1) + str(self)

    indented_name.short_description = _("name")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email):
        return (email or "").strip().lower()

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """The first centre admin, made by the operator on the command line.

        The operator vouches for the address, so it counts as verified for allauth.
        """
        from allauth.account.models import EmailAddress

        extra_fields["is_superuser"] = True
        extra_fields["is_staff"] = True
        user = self._create_user(email, password, **extra_fields)
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person; the e-mail address is the login."""

    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.GERMAN
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    personnel_number = models.CharField(_("personnel number"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Kept for Django's own tooling; Wagtail admin access comes from permissions.
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="people_user_email_ci_unique",
                violation_error_message=_("A person with this e-mail address already exists."),
            ),
            models.UniqueConstraint(
                fields=["personnel_number"],
                condition=~models.Q(personnel_number=""),
                name="people_user_personnel_number_unique",
                violation_error_message=_(
                    "This personnel number already belongs to another person."
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = User.objects.normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @cached_property
    def group_names(self) -> frozenset[str]:
        """The person's groups, read once per request (roles and the MFA rule use them)."""
        if self.pk is None:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    @cached_property
    def roles(self):
        """The person's roles, read once per request so that a change applies on the next one."""
        from .selectors import user_roles

        return user_roles(user=self)

    @property
    def is_trainer(self):
        return Role.TRAINER in self.roles

    @property
    def is_hr(self):
        return Role.HR in self.roles

    @property
    def is_centre_admin(self):
        return Role.CENTRE_ADMIN in self.roles

    @property
    def works_in_admin(self):
        """Trainers, HR and centre admins, who get the link to the Wagtail admin."""
        return bool(self.roles & STAFF_ROLES)


class AuthorityMembership(models.Model):
    """Which authority a person belonged to, and when; moving a person closes one and opens one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="memberships")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("authority membership")
        verbose_name_plural = _("authority memberships")
        ordering = ["user", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(ended_at__isnull=True),
                name="people_one_open_membership_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.authority}"


class HRScope(models.Model):
    """A subtree of the organisation an HR coordinator is responsible for."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hr_scopes")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="hr_scopes")

    class Meta:
        verbose_name = _("HR scope")
        verbose_name_plural = _("HR scopes")
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="people_hrscope_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.authority}"


class PeoplePermission(models.Model):
    """Holds permissions that belong to no stored model, such as importing people.

    Kept apart from User on purpose: Wagtail shows a user the change history of every model
    they hold any permission on, and HR must not see the history of people elsewhere.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("import_users", _("Can import people from a CSV file"))]

    def __str__(self):
        return str(self._meta.verbose_name)
