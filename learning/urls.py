from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("trainingen/agenda.ics", views.feed, name="feed"),
    path("trainingen/agenda/<slug:target_group>.ics", views.feed, name="feed_group"),
    path("trainingen/sessie/<int:session_id>.ics", views.session_ics, name="session_ics"),
    path("trainingen/aanmelden/<int:session_id>/", views.register, name="register"),
    path("trainingen/aanmelding/<str:token>/", views.registration, name="registration"),
    path(
        "trainingen/aanmelding/<str:token>/annuleren/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "trainingen/aanmelding/<str:token>/agenda.ics",
        views.registration_ics,
        name="registration_ics",
    ),
    path("trainingen/aanvragen/in-company/", views.request_in_company, name="request_in_company"),
    path(
        "trainingen/aanvragen/pressure-cooker/",
        views.request_pressure_cooker,
        name="request_pressure_cooker",
    ),
    path("trainingen/aanvragen/bedankt/", views.request_thanks, name="request_thanks"),
]
