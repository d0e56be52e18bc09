import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from website.settings import base

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_has_no_warnings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings=website.settings.production",
        env_extra={
            "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-123",
            "ALLOWED_HOSTS": "cter.example.nl",
            "VAR_DIR": str(tmp_path),
            "REDIS_URL": "redis://cache.internal:6379/0",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_manage(
        "check",
        "--settings=website.settings.production",
        env_extra={"ALLOWED_HOSTS": "cter.example.nl", "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_sqlite_runs_in_wal_mode_with_busy_timeout():
    assert base.DATABASES["default"]["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in base.DATABASES["default"]["OPTIONS"]["init_command"]
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"


@pytest.mark.django_db
def test_the_admin_makes_no_request_to_a_third_party(admin_client):
    """Wagtail's default avatars come from Gravatar: switched off (privacy, offline use)."""
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
