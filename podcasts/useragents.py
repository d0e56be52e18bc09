"""Who is asking, from the user agent: a podcast app, a web browser, a bot or an Apple
Watch. The patterns are the site's user-agent data (``website/data/user_agents.json``,
read through ``website.counting``), shipped with the code."""

from __future__ import annotations

from functools import lru_cache

from website.counting import is_bot, user_agent_rules

__all__ = ["OTHER", "app_name", "is_apple_watch", "is_bot"]

OTHER = "Other"


def is_apple_watch(user_agent: str) -> bool:
    return bool(user_agent_rules()["watch"].search(user_agent))


@lru_cache(maxsize=2048)
def app_name(user_agent: str) -> str:
    for name, pattern in user_agent_rules()["apps"]:
        if pattern.search(user_agent):
            return name
    return OTHER
