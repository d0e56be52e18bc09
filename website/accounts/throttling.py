"""django-axes hooks: which address a login comes from, and how log lines name it."""

from website import ratelimit


def client_ip(request) -> str:
    """The client's address, also behind the reverse proxy: the one the rate limits of the
    public forms see (``CLIENT_IP_HEADER``, else ``LEARNING_CLIENT_IP_HEADER``)."""
    return ratelimit.client_key(request)


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """django-axes logs failures and lockouts with this text: the path only, never the
    username or address (personal data stays out of the logs)."""
    return f"a client at {path_info}"
