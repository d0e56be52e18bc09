"""Who is asking, from the user agent: a podcast app, a web browser, a bot or an Apple
Watch. The patterns are data (``data/user_agents.json``), shipped with the code."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "user_agents.json"
OTHER = "Other"


@lru_cache(maxsize=1)
def _patterns():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    bots = re.compile("|".join(f"(?:{p})" for p in data["bots"]), re.IGNORECASE)
    watch = re.compile("|".join(f"(?:{p})" for p in data["watch"]), re.IGNORECASE)
    apps = [(a["name"], re.compile(a["pattern"], re.IGNORECASE)) for a in data["apps"]]
    return bots, watch, apps


def is_bot(user_agent: str) -> bool:
    return bool(_patterns()[0].search(user_agent.strip()))


def is_apple_watch(user_agent: str) -> bool:
    return bool(_patterns()[1].search(user_agent))


@lru_cache(maxsize=2048)
def app_name(user_agent: str) -> str:
    for name, pattern in _patterns()[2]:
        if pattern.search(user_agent):
            return name
    return OTHER
