"""django-axes hooks: which address a login comes from, how log lines name it, and the cap
per address across usernames."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from website import ratelimit


def client_ip(request) -> str:
    """The client's address, also behind the reverse proxy: the one the rate limits of the
    public forms see (``CLIENT_IP_HEADER``, else ``LEARNING_CLIENT_IP_HEADER``)."""
    return ratelimit.client_key(request)


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes logs failures and lockouts with this text: the path only, never the
    username or address (personal data stays out of the logs)."""
    return f"a client at {path_info}"


class AddressCappedHandler(AxesDatabaseHandler):
    """django-axes' database handler (shared by every app server), plus a cap per client
    address across usernames: a few guesses at each of many usernames stays under every
    per-username limit, so the address is refused once its failures within the cool-off
    time reach ``LOGIN_ADDRESS_FAILURE_LIMIT`` (0 switches the cap off)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        cap = getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 0)
        if not cap:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= cap:
            return max(failures, get_failure_limit(request, credentials))
        return failures
