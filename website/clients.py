"""Who is asking: the client's address, also behind a reverse proxy."""

from django.conf import settings


def client_address(request, *setting_names: str) -> str:
    """The client's address. Behind a reverse proxy name the header it sets (e.g.
    ``LEARNING_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR``): its last entry is the address the
    trusted proxy saw. The first of ``setting_names`` that is set wins; without one,
    ``REMOTE_ADDR`` (which behind a proxy would make every client the same one)."""
    header = next((getattr(settings, n, "") for n in setting_names if getattr(settings, n, "")), "")
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
