from .figures import (
    AgeBand,
    GroupingCount,
    HouseFigures,
    Ideology,
    LocalPicture,
    MunicipalityCount,
    Period,
    PeriodKind,
)
from .pages import RegionalPictureIndexPage, RegionalPicturePage

__all__ = [
    "AgeBand",
    "GroupingCount",
    "HouseFigures",
    "Ideology",
    "LocalPicture",
    "MunicipalityCount",
    "Period",
    "PeriodKind",
    "RegionalPictureIndexPage",
    "RegionalPicturePage",
]
