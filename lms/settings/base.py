"""Settings shared by every environment; dev, test and production differ only where they must."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lms.security.csp import BLOB, DATA, NONE, SELF, UNSAFE_INLINE, media_origins, origin_of

from .env import env_bool, env_database, env_int, env_list, env_origin, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("LMS_VAR_DIR", str(BASE_DIR / "var")))

# Set to True only in lms.settings.production; guards demo seeding and similar.
IS_PRODUCTION = False

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "lms.people",
    "home",
    "courses",
    "certificates",
    "lms.notifications",
    "lms.privacy",
    "lms.audit",
    "lms.reports",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.people.apps.LmsUsersAppConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "django_celery_beat",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# Days that personal data is kept, per retention rule of the registry in lms.privacy. The admin
# page Settings › Processing activities shows the records each rule covers and the date it counts
# from; 0 means until that date. Deleting what is due is a later step of the privacy work.
PRIVACY_RETENTION_DAYS: dict[str, int] = {
    # Accounts, from the last sign-in (or their creation, for people who never signed in).
    "accounts": 5 * 365,
    # Enrolments, lesson progress, progress events, past memberships: proof of training.
    "learning_records": 5 * 365,
    # Quiz attempts with the answers given, from their submission.
    "quiz_attempts": 2 * 365,
    # Certificates, from the completion they certify: they prove qualifications for the
    # personnel file.
    "certificates": 10 * 365,
    # ZIP archives of certificates built for HR, from their creation.
    "certificate_archives": 7,
    # ZIPs of a person's own data (DSGVO Art. 15), from their creation.
    "data_exports": 7,
    # Records of e-mail notifications, from their creation: they keep each e-mail from going
    # out twice, which matters for the current rounds, thresholds and weeks only.
    "notifications": 365,
    # Wagtail's change history of pages, people, the organisation and settings.
    "audit_log": 365,
    # The access log of report views and exports, from when they happened (lms.audit).
    "access_log": 2 * 365,
    # Sessions, from when they expire.
    "sessions": 0,
    # E-mail confirmation links, from when they were sent (allauth's links expire after 3 days).
    "confirmation_links": 3,
    # "Who is editing" markers and unsaved form contents in the admin, from their last update.
    "editing_traces": 1,
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above XFrameOptionsMiddleware: it derives frame-ancestors from the final X-Frame-Options.
    "lms.security.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.people.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.people.middleware.PreferredLanguageMiddleware",
    "lms.people.middleware.StaffMfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.people.context_processors.signup",
            ],
            # templates/wagtailcore/shared/richtext.html cleans all rich text with it.
            "libraries": {"rich_text": "lms.security.template_filters"},
        },
    },
]

# --- Data --------------------------------------------------------------------------------------

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Pages and quiz submissions go on while Redis is down (lms.cache); a Redis that
            # hangs instead of refusing costs one such timeout, then is left alone a while.
            "BACKEND": "lms.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "lms"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Files -------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# MEDIA_STORAGE=s3 switches uploads and certificates to an S3-compatible store (django-storages).
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL", None),
            "region_name": env_str("S3_REGION", None),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
# Certificates and HR archives: never under a public URL; views hand them out after a check.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(VAR_DIR / "private")))
if MEDIA_STORAGE == "s3":
    _private_storage = {
        **_default_storage,
        "OPTIONS": {**_default_storage["OPTIONS"], "location": "private"},
    }
else:
    _private_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": "/nicht-oeffentlich/"},
    }
STORAGES = {
    "default": _default_storage,
    "certificates": _private_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- People and sign-in ------------------------------------------------------------------------

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first; PBKDF2 hashes (Django's default) still verify and are rehashed at sign-in.
PASSWORD_HASHERS = [
    "lms.people.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "lms.people.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lms.people.adapters.SocialAccountAdapter"
ACCOUNT_FORMS = {"signup": "lms.people.forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# One address per person: it is the login that HR imports; changing it replaces it.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
# allauth keeps its counters in the default cache, which is Redis in production and thus shared
# by every process.
# Sign-in attempts per client address and minute, failed or not. Guessing is bounded by the
# failed-sign-in limits below; raise this one where a whole authority signs in from one address
# (a NAT or web proxy) at once, e.g. before an exam (docs/performance.md).
SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = env_int("SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", 30)
if SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE < 1:
    raise ImproperlyConfigured("SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE must be at least 1.")
ACCOUNT_RATE_LIMITS = {
    "login": f"{SIGNIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE}/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# The client address these limits count by is REMOTE_ADDR. Behind reverse proxies, set
# TRUSTED_PROXY_COUNT to how many of them (your own) append to X-Forwarded-For; allauth then takes
# the address that many entries from the right, which a client cannot forge. With 0 the header is
# ignored, so rotating it does not reset a limit (but behind a proxy everyone shares one count).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Self-signup is closed unless e-mail domains are listed; people come by import or SSO.
ACCOUNT_SIGNUP_DOMAINS = [d.lower() for d in env_list("ACCOUNT_SIGNUP_DOMAINS", [])]

SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {}
OIDC_SERVER_URL = env_str("OIDC_SERVER_URL", "")
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env_str("OIDC_PROVIDER_ID", "keycloak"),
                "name": env_str("OIDC_NAME", "Landes-Login"),
                "client_id": env_str("OIDC_CLIENT_ID"),
                "secret": env_str("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }
# The claim that carries the authority abbreviation of a person signing in by SSO, if any.
OIDC_AUTHORITY_CLAIM = env_str("OIDC_AUTHORITY_CLAIM", "")

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "E-Government-Lernzentrum")
# Trainers, HR and centre admins must set up a second factor before they can work.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", False)

# --- Wagtail -----------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "E-Government-Lernzentrum"
# Approving a course publishes it with its waiting lessons and quizzes (docs/decisions/0017).
WAGTAIL_FINISH_WORKFLOW_ACTION = "courses.workflows.workflow_state_finish"
# Where the site is reached from outside, for every link that outlives the request: the QR code
# and link printed on certificates, links in e-mails (notifications, allauth, Wagtail's admin).
# Never the request's host, which a client chooses. The default is where `make run` serves.
PUBLIC_BASE_URL = env_origin("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
if env_str("WAGTAILADMIN_BASE_URL", None) is not None:
    raise ImproperlyConfigured("WAGTAILADMIN_BASE_URL is replaced by PUBLIC_BASE_URL; set that.")
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
# The admin signs in through allauth; no second login or password form.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
# People set their own first password through the reset link; admins need not invent one.
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: office and text formats only (no HTML, SVG or archives, which a browser may run or
# which hide their content), of a bounded size.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odp", "ods", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Downloads go through Wagtail's view (also with S3), which checks collection privacy and sends
# "Content-Security-Policy: default-src 'none'" and nosniff; only PDFs open in the browser.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# Raster formats only: an SVG can carry scripts.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpeg", "jpg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Videos in lessons: YouTube (youtube-nocookie.com) and Vimeo (dnt=1) only, the players the
# Content-Security-Policy lets through (CSP_FRAME_ORIGINS below).
WAGTAILEMBEDS_FINDERS = [{"class": "lms.security.embeds.PrivacyEnhancedVideoFinder"}]
# No avatars from an outside service: staff e-mail hashes must not leave the platform.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for new versions from staff browsers (the admin's
# Content-Security-Policy would block it anyway); upgrades follow requirements/constraints.txt.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("de", "Deutsch")]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Largest user import file accepted (bytes).
LMS_IMPORT_MAX_BYTES = 5 * 1024 * 1024

# --- Language and time -------------------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lms_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# Dates per language: English "7 December 2026, 19:50", German "07.12.2026 19:50".
FORMAT_MODULE_PATH = ["lms.formats"]

# --- E-mail ------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lernzentrum@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Celery ------------------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Without a broker, tasks run in-process: the embedded default needs no services.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers unacknowledged tasks after this many seconds; it must exceed the hard limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into the database scheduler when beat starts; editable there afterwards.
CELERY_BEAT_SCHEDULE = {
    "close-timed-out-quiz-attempts": {
        "task": "courses.tasks.quiz_attempts_close_timed_out",
        "schedule": 300.0,
    },
    # Certificates missed while the broker was down or a worker died.
    "reconcile-certificates": {
        "task": "certificates.tasks.certificates_reconcile",
        "schedule": 600.0,
    },
    "renew-expiring-certificates": {
        "task": "certificates.tasks.certificates_renew_expiring",
        "schedule": 6 * 3600.0,
    },
    # Recurring mandatory training (assignment rules "every N months").
    "recur-assignment-rules": {
        "task": "courses.tasks.assignment_rules_recur",
        "schedule": 6 * 3600.0,
    },
    "delete-old-certificate-archives": {
        "task": "certificates.tasks.certificate_archives_delete_old",
        "schedule": 24 * 3600.0,
    },
    # E-mail notifications that are due (lms.notifications.services.notifications_send_due).
    "send-notifications": {
        "task": "lms.notifications.tasks.notifications_send_due",
        "schedule": 15 * 60.0,
    },
    # Delete or anonymise what is past its retention period (lms.privacy.retention).
    "apply-privacy-retention": {
        "task": "lms.privacy.tasks.retention_apply",
        "schedule": 24 * 3600.0,
    },
}

# --- Certificates ------------------------------------------------------------------------------

# A mandatory course is assigned again this many days before its certificate expires.
CERTIFICATE_RENEWAL_DAYS = env_int("CERTIFICATE_RENEWAL_DAYS", 60)
# A rule's recurring course starts its new round this many days before it is due again (at most
# half the recurrence).
ASSIGNMENT_RECURRENCE_LEAD_DAYS = env_int("ASSIGNMENT_RECURRENCE_LEAD_DAYS", 30)
# Longest time one PDF may take to render before it is given up (and retried later).
CERTIFICATE_RENDER_SECONDS = env_int("CERTIFICATE_RENDER_SECONDS", 30)
# Public verification: requests per client address and minute.
CERTIFICATE_VERIFY_RATE = env_str("CERTIFICATE_VERIFY_RATE", "30/m")

# --- Notifications -----------------------------------------------------------------------------

# E-mails about mandatory training, each sent at most once (docs/decisions/0009). Reminders this
# many days before a course is due: one per number and round, the smallest that applies.
NOTIFY_DUE_DAYS = (14, 3)
# Overdue courses are reminded of weekly, from the day after the due date, this many times.
NOTIFY_OVERDUE_TIMES = 4
# Holders of a valid certificate hear this many days before it expires (the smallest that
# applies).
NOTIFY_CERTIFICATE_DAYS = (60, 14)
# The weekly overview for HR coordinators names at most this many people.
NOTIFY_DIGEST_NAMES = 50
# A sweep takes up no new e-mail after this many seconds; the next one goes on from there.
NOTIFY_SWEEP_SECONDS = env_int("NOTIFY_SWEEP_SECONDS", 600)

# --- Quizzes -----------------------------------------------------------------------------------

# Answers arriving this long after a time limit still count (slow networks, the final click).
QUIZ_GRACE_SECONDS = env_int("QUIZ_GRACE_SECONDS", 30)

# --- Security defaults (tightened further in production) ----------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Features no page of the platform uses, refused for the page and every frame in it.
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()"}

# Content-Security-Policy, sent by lms.security.middleware (see docs/security.md). With
# CSP_REPORT_ONLY the browser only reports what the policy would block.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
CSP_REPORT_URI = env_str("CSP_REPORT_URI", "")
# Video players lessons may embed (lms.security.embeds allows no others).
CSP_FRAME_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# Where uploaded images come from when this site does not serve them (S3-compatible store).
CSP_MEDIA_ORIGINS = env_list(
    "CSP_MEDIA_ORIGINS",
    media_origins(
        media_storage=MEDIA_STORAGE,
        media_url=MEDIA_URL,
        s3_bucket=env_str("S3_BUCKET", ""),
        s3_endpoint_url=env_str("S3_ENDPOINT_URL", ""),
        s3_region=env_str("S3_REGION", ""),
    ),
)
# Sign-in through the state's IdP submits a form here that redirects there.
_SSO_ORIGINS = [o for o in [origin_of(OIDC_SERVER_URL)] if o]
# The site: no inline script or style at all. frame-ancestors is added per response from its
# X-Frame-Options (DENY: 'none', SAMEORIGIN: 'self').
CSP_SITE_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, DATA, *CSP_MEDIA_ORIGINS],
    "font-src": [SELF],
    "frame-src": CSP_FRAME_ORIGINS,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF, *_SSO_ORIGINS],
}
# The Wagtail admin writes inline scripts (date pickers in filters and the publishing schedule,
# widgets its JavaScript inserts) and inline styles, so it needs 'unsafe-inline'; everything else
# stays closed: no eval, no other origins, no plugins. Previews inside the admin keep the site's
# policy (lms.security.middleware).
CSP_ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, DATA, BLOB, *CSP_MEDIA_ORIGINS],
    "font-src": [SELF],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's background tasks and publishing log every step at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint logs every rendering step, fontTools every font subsetting step, at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
