"""Production: refuses to start without SECRET_KEY, ALLOWED_HOSTS and a shared cache."""

import os

from .base import *  # noqa: F403
from .base import cache_settings, env_bool, env_list, require

DEBUG = False
SECRET_KEY = require("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    require("ALLOWED_HOSTS")
# Rate limits and cached pages must be the same on every app server: Redis or the database.
CACHES = cache_settings(shared=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers ask app servers for /health/ over plain HTTP: answer, do not redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
