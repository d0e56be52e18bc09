from .counting import DailySalt, VisitorMark
from .mail import OutboxEmail, OutboxStatus
from .pages import HomePage, StandardPage
from .personal_data import PersonalDataAction, PersonalDataRequest
from .reference import Municipality, Region, TargetGroup
from .settings import SiteSettings
from .stamps import ContentStamp

__all__ = [
    "ContentStamp",
    "DailySalt",
    "HomePage",
    "Municipality",
    "OutboxEmail",
    "OutboxStatus",
    "PersonalDataAction",
    "PersonalDataRequest",
    "Region",
    "SiteSettings",
    "StandardPage",
    "TargetGroup",
    "VisitorMark",
]
