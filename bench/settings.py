"""Production-like settings for the benchmark: DEBUG off, no manifest needed."""

import os

from website.settings.base import *  # noqa: F403
from website.settings.base import HOUR, RATE_LIMITS
from website.settings.base import TASKS as PRODUCTION_TASKS

BACKGROUND_TASKS = PRODUCTION_TASKS["background"]

DEBUG = False
SECRET_KEY = "bench-only-key"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
if os.environ.get("BENCH_QUEUE_TASKS"):
    # bench/scales.py's measurements: our jobs (e-mail) are queued in the database for a
    # worker, as in production, so a registration POST does not deliver its e-mail itself.
    TASKS["background"] = BACKGROUND_TASKS
if os.environ.get("BENCH_SEEDING"):
    # Seeding only (bench/scales.py): Wagtail's per-save search and reference index jobs
    # are left out; seed_demo builds the search index once at the end.
    TASKS["default"] = {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
# The benchmark registers hundreds of times a second from one address.
RATE_LIMITS = {
    **RATE_LIMITS,
    "registration": {"client": (10**9, HOUR), "client_session": (10**9, HOUR)},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
