"""Local development: DEBUG on, e-mails written to var/mail/ as .log files."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"
ALLOWED_HOSTS = ["*"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
(VAR_DIR / "mail").mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# runserver starts a thread per request, which would leave a connection behind for each.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Template and code edits do not bump the content stamp: no whole-page cache unless asked.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# Nor the caches of rendered cards and podcast listings (they hold rendered HTML).
CARD_CACHE_SECONDS = int(os.environ.get("CARD_CACHE_SECONDS", "0"))
PODCASTS_CACHE_SECONDS = int(os.environ.get("PODCASTS_CACHE_SECONDS", "0"))
# The local admin from `make run` (a superuser) may skip two-factor authentication; members
# of Beheerder and Coördinator still set it up, as in production.
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = env_bool("TWO_FACTOR_REQUIRED_FOR_SUPERUSERS", False)
