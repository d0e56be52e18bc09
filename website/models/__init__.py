from .counting import DailySalt, VisitorMark
from .pages import HomePage, StandardPage
from .reference import Municipality, Region, TargetGroup
from .settings import SiteSettings
from .stamps import ContentStamp

__all__ = [
    "ContentStamp",
    "DailySalt",
    "HomePage",
    "Municipality",
    "Region",
    "SiteSettings",
    "StandardPage",
    "TargetGroup",
    "VisitorMark",
]
