"""Test settings: fast hashing, local-memory cache and e-mail, immediate tasks."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0  # tests of the page cache switch it on (tests/website/test_pagecache.py)
CARD_CACHE_SECONDS = 0  # tests of the card cache switch it on (tests/outreach/test_pages.py)
PODCASTS_CACHE_SECONDS = 0  # and of the podcast listings' fragments (tests/podcasts/test_pages.py)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    if os.environ.get("TEST_MEDIA_IN_MEMORY")
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One media folder per test process (pytest-xdist names them gw0, gw1, ...).
MEDIA_ROOT = VAR_DIR / f"test-media{os.environ.get('PYTEST_XDIST_WORKER', '')}"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests for PostgreSQL set DATABASE_URL; otherwise an in-memory SQLite database.
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "test.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two-factor authentication is enforced by tests that ask for it (tests/website/test_two_factor.py,
# the role matrix); elsewhere staff fixtures log in without a phone.
TWO_FACTOR_REQUIRED_GROUPS = []
TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = False
