"""Base settings: safe by default (DEBUG off), configured from the environment.

Integrations switch on when their variables exist: DATABASE_URL (PostgreSQL),
REDIS_URL or CACHE_BACKEND=database (cache), EMAIL_HOST (SMTP), AWS_STORAGE_BUCKET_NAME (S3 media).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "website",
    "learning",
    "outreach",
    "podcasts",
    "insights",
    "reporting",
    "subscriptions",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "website.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "website.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "website.middleware.SecurityHeadersMiddleware",
    "website.middleware.AdminFilterIdsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "website.locking.BusyMiddleware",
    # Last, as django-axes asks: answers a locked-out login with our Dutch page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "website.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "website.wsgi.application"

# Database: a SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take
    # the write lock up front, so concurrent writers queue (busy timeout)
    # instead of failing with "database is locked" halfway through. Connections persist
    # (CONN_MAX_AGE) as on PostgreSQL: opening one and running the pragmas cost more
    # than a whole-page cache hit's single query.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff accounts (issue 14). Passwords: at least 12 characters, not like the user's name or
# e-mail address, not one of 20 000 common passwords, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"max_similarity": 0.5},
    },
    {
        "NAME": "website.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username + address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): failures are counted in the database, so every app server
# sees them. A lockout is per username AND client address: a stranger guessing from elsewhere
# cannot lock a colleague out. A successful login clears the count.
AXES_HANDLER = "website.accounts.throttling.AddressCappedHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
# Failures from one client address across all usernames within the cool-off time (password
# spraying); well above what an office of colleagues mistypes.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "website.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "website.accounts.throttling.client_ip"
# No personal data in logs or extra tables: log lines name no user or address, and no row
# per successful login is kept (failed attempts expire with the cool-off time).
AXES_CLIENT_STR_CALLABLE = "website.accounts.throttling.client_str"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Two-factor authentication (TOTP, django-otp): required for these groups and for
# superusers, available to every other member of staff (website/accounts/).
TWO_FACTOR_REQUIRED_GROUPS = ["Beheerder", "Coördinator"]
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = True
OTP_TOTP_ISSUER = "Samen Veilig CTER"

# Dutch first.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static files and media.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible media store (needs django-storages[s3] in the image).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
WHITENOISE_MAX_AGE = 3600


def cache_settings(*, shared: bool) -> dict:
    """The default cache. Redis when REDIS_URL is set; Django's database cache with
    CACHE_BACKEND=database (run ``manage.py createcachetable`` once); otherwise local
    memory, which each process keeps for itself. Rate limits, the page cache and the
    content stamp's copies must be the same on every app server, so production
    (``shared=True``) refuses to start with local memory."""
    backend = os.environ.get("CACHE_BACKEND", "").strip().lower()
    if backend in ("", "redis") and os.environ.get("REDIS_URL"):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": "cter",
            }
        }
    if backend == "database":
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "cter_cache",
                "KEY_PREFIX": "cter",
            }
        }
    if shared:
        raise ImproperlyConfigured(
            "Production needs a cache shared by every app server: set REDIS_URL, or set "
            "CACHE_BACKEND=database and run `manage.py createcachetable`."
        )
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# Cache: local memory in development unless REDIS_URL or CACHE_BACKEND says otherwise.
CACHES = cache_settings(shared=False)

# Whole-page cache for anonymous visitors (website/pagecache.py); 0 switches it off.
# Changes show at once (content stamp); time-driven changes within this many seconds.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Listing cards and the ordered entries of each filter (website.cards), keyed on the
# content stamp: rendered listings (editors, session cookies) build only what changed.
CARD_CACHE_SECONDS = int(os.environ.get("CARD_CACHE_SECONDS", "300"))
# The podcast overview's and shows' rendered lists, keyed the same way (podcasts.models).
PODCASTS_CACHE_SECONDS = int(os.environ.get("PODCASTS_CACHE_SECONDS", "300"))

# Background tasks. Wagtail's own jobs (search and reference index) run inline on
# the default backend; our jobs (e-mail, reminders) go to the durable database
# queue that `manage.py db_worker --backend background` works through.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail"],
    },
}

# /health/ (website/health.py): the scheduler's and task worker's heartbeat and the oldest
# due task may be this many seconds old (run `manage.py run_scheduled` more often than
# this), the oldest pending outbox e-mail this many.
HEALTH_HEARTBEAT_MAX_AGE = int(os.environ.get("HEALTH_HEARTBEAT_MAX_AGE", "1200"))
HEALTH_EMAIL_MAX_AGE = int(os.environ.get("HEALTH_EMAIL_MAX_AGE", "3600"))

# E-mail. SMTP when EMAIL_HOST is set; otherwise see dev/test settings.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Samen Veilig CTER <noreply@cter.example.nl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Wagtail.
WAGTAIL_SITE_NAME = "Samen Veilig CTER"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "dutch"}
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Documents (website/documents.py): only the types the pages use, the content checked on
# upload, and every document served as a download that cannot run in our origin.
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    *("doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"),
    *("mp3", "m4a", "mp4", "webm"),
    *("vtt", "srt", "json"),
]
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "website.document_form.DocumentForm"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "webp", "avif": "webp"}
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
        },
    }
}
# Themes: "Polarisatie" and "polarisatie" are one theme, whoever types it.
TAGGIT_CASE_INSENSITIVE = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Pages restricted to signed-in users or groups (e.g. pages for partners) send visitors to the
# public login page; staff use the admin's own login.
WAGTAIL_FRONTEND_LOGIN_URL = "/inloggen/"
LOGIN_URL = "/inloggen/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# No request to a third party from the admin: avatars are initials, not Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Security defaults (production hardens further).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Nobody frames the public site (Wagtail's preview frames admin URLs, which it allows
# itself); the CSP's frame-ancestors follows this value (website.middleware).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 4000

# Logging: never personal data; messages only (exception messages are withheld too).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "redact_tokens": {"()": "website.logging.RedactTokens"},
        "hide_exception_messages": {"()": "website.logging.HideExceptionMessages"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens", "hide_exception_messages"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replace Django's default handlers for its loggers, so every record passes the
        # token filter (django.server logs each request path of the dev server).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Row locks (website/locking.py): how long a transaction that locks a row (a registration)
# waits for a lock before the visitor is asked to try again (PostgreSQL lock_timeout).
LOCK_TIMEOUT = float(os.environ.get("LOCK_TIMEOUT", "5"))

# Programme facts used in e-mails and certificates.
PROGRAMME_NAME = _("Noord-Holland Samen Veilig, project CTER")


def require(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


# Learning (issue 4): reminder e-mails go out this many days before a session starts.
LEARNING_REMINDER_DAYS = int(os.environ.get("LEARNING_REMINDER_DAYS", "2"))
# Personal details of registrations are wiped this many days after the session ended
# (the scheduler, manage.py run_scheduled, runs it; report facts stay).
LEARNING_RETENTION_DAYS = int(os.environ.get("LEARNING_RETENTION_DAYS", "365"))
# Behind a reverse proxy: the META key holding the client address (rate limits).
LEARNING_CLIENT_IP_HEADER = os.environ.get("LEARNING_CLIENT_IP_HEADER", "")
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Rate limits of the public forms (website/ratelimit.py): per scope, the counters in the
# order they are checked, each (requests, window in seconds); 0 switches a counter off.
# Counted in the default cache, which production requires to be shared (Redis or the
# database cache). Registrations and requests count every POST, valid or not; sign-in
# requests count once the address is valid.
HOUR = 60 * 60
RATE_LIMITS = {
    # /trainingen/aanmelden/<id>/: per client address, then per client and session.
    "registration": {"client": (30, HOUR), "client_session": (10, HOUR)},
    # in-company and pressure-cooker requests: per client address.
    "request": {"client": (10, HOUR)},
    # "Mijn trainingen" sign-in links: per client first, then per address from that client
    # (a stranger elsewhere cannot use it up), then per address from anywhere.
    "sign-in": {
        "client": (20, HOUR),
        "email_client": (3, HOUR),
        "email": (10, HOUR),
    },
    # "Houd mij op de hoogte" (/op-de-hoogte/): per client first, then per address (each
    # accepted request mails the address a confirmation or its personal link).
    "subscribe": {"client": (20, HOUR), "email": (3, HOUR)},
}

# Podcasts (issue 6): where the enclosure URL redirects. "django": our range-capable view
# (counts the bytes it sends); "storage": the file's storage URL (nginx, S3), which must
# answer Range requests itself.
PODCASTS_AUDIO_DELIVERY = os.environ.get("PODCASTS_AUDIO_DELIVERY") or (
    "storage" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "django"
)
# Behind a reverse proxy: the META key holding the client address (download counting).
PODCASTS_CLIENT_IP_HEADER = os.environ.get("PODCASTS_CLIENT_IP_HEADER", "")
