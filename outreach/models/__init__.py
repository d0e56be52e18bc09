from .pages import (
    AnimationPage,
    CommunicationPlanPage,
    InfoSheetPage,
    ProductIndexPage,
    ProductPage,
    ProductTag,
    TargetGroupIndexPage,
    TargetGroupPage,
    WebinarRecordingPage,
)
from .reach import ReachCount

__all__ = [
    "AnimationPage",
    "CommunicationPlanPage",
    "InfoSheetPage",
    "ProductIndexPage",
    "ProductPage",
    "ProductTag",
    "ReachCount",
    "TargetGroupIndexPage",
    "TargetGroupPage",
    "WebinarRecordingPage",
]
