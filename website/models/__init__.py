from .pages import HomePage, StandardPage
from .reference import Municipality, Region, TargetGroup
from .settings import SiteSettings

__all__ = ["HomePage", "Municipality", "Region", "SiteSettings", "StandardPage", "TargetGroup"]
