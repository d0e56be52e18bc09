"""What the operations tests share: the test database as other processes reach it."""

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """The test database (pytest-django's), as a ``DATABASE_URL`` for other processes."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
