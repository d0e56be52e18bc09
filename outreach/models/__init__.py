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
from .reach import DailySalt, ReachCount, VisitorMark

__all__ = [
    "AnimationPage",
    "CommunicationPlanPage",
    "DailySalt",
    "InfoSheetPage",
    "ProductIndexPage",
    "ProductPage",
    "ProductTag",
    "ReachCount",
    "TargetGroupIndexPage",
    "TargetGroupPage",
    "VisitorMark",
    "WebinarRecordingPage",
]
