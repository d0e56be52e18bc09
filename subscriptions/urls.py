from django.urls import path, register_converter

from subscriptions import views


class TokenConverter:
    regex = "[A-Za-z0-9_-]{43}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class SmallIntConverter:
    """Ids in links: plain digits of a sane length (a forged id is a 404, not an error)."""

    regex = "[1-9][0-9]{0,8}|0"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(TokenConverter, "subscription_token")
register_converter(SmallIntConverter, "small_int")

app_name = "subscriptions"
urlpatterns = [
    path("op-de-hoogte/", views.subscribe, name="subscribe"),
    path("op-de-hoogte/verstuurd/", views.sent, name="sent"),
    path(
        "op-de-hoogte/bevestigen/<subscription_token:subscription_token>/",
        views.confirm,
        name="confirm",
    ),
    path(
        "op-de-hoogte/beheren/<subscription_token:subscription_token>/", views.manage, name="manage"
    ),
    path(
        "op-de-hoogte/afmelden/<subscription_token:subscription_token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path(
        "op-de-hoogte/link/<id:mailing_id>/<small_int:position>/",
        views.click,
        name="click",
    ),
]
