"""The release: a short fingerprint of the code and templates that render pages.

Cached pages, routes, settings rows and fragments carry it in their keys, so a deploy
never serves HTML of the previous release (or unpickles a settings row whose model has
since gained a field) from a shared cache that outlives the app servers. Set
``RELEASE`` (e.g. the git commit) in production; otherwise every app server computes
the same fingerprint from the same files, so servers of one release share their cache.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import django
import wagtail
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("templates", "locale")  # besides the project's own apps
SUFFIXES = {".py", ".html", ".txt", ".xml", ".po", ".json"}


@functools.cache
def release() -> str:
    explicit = os.environ.get("RELEASE", "").strip()
    if explicit:
        return hashlib.sha256(explicit.encode()).hexdigest()[:12]
    digest = hashlib.sha256(f"{django.__version__}:{wagtail.__version__}".encode())
    for top in sources():
        for path in sorted(top.rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sources() -> list[Path]:
    """The folders of the project's own apps (every installed app inside the project, so
    a new app counts without being named here), templates and translations."""
    own = sorted(
        Path(config.path).resolve()
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
    )
    return [*own, *(ROOT / name for name in SHARED)]
