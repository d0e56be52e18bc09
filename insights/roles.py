"""The groups this app creates or uses, by name (``get_or_create`` by name in the data
migration, so the roles work of other apps can create the same groups safely)."""

ANALYST = "Analist"  # enters and edits the figures and local pictures
PARTNER = "Partner"  # signed-in professionals of partner organisations: sees partner pages
COORDINATOR = "Coördinator"  # reads the figures

# Who sees a period that is not public: partners, and the staff who work with the figures.
AUDIENCE = (PARTNER, ANALYST, COORDINATOR)

MODELS = ("period", "housefigures", "localpicture")
ANALYST_PERMISSIONS = [
    f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")
]
COORDINATOR_PERMISSIONS = [f"view_{model}" for model in MODELS]
