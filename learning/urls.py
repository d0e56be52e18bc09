from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("trainingen/agenda.ics", views.feed, name="feed"),
    path("trainingen/agenda/<slug:target_group>.ics", views.feed, name="feed_group"),
    path("trainingen/sessie/<id:session_id>.ics", views.session_ics, name="session_ics"),
    path("trainingen/aanmelden/<id:session_id>/", views.register, name="register"),
    path(
        "trainingen/traject/<id:page_id>/aanmelden/",
        views.register_track,
        name="register_track",
    ),
    path(
        "trainingen/traject/<id:page_id>/aangemeld/",
        views.track_registered,
        name="track_registered",
    ),
    path("trainingen/besloten/<str:token>/", views.register_private, name="register_private"),
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
    path(
        "trainingen/aanmelding/<str:token>/evaluatie/",
        views.survey,
        name="survey",
    ),
    path(
        "trainingen/aanmelding/<str:token>/bewijs-van-deelname/",
        views.certificate,
        name="certificate",
    ),
    path("mijn-trainingen/", views.my_trainings, name="my_trainings"),
    path("mijn-trainingen/verstuurd/", views.my_sent, name="my_sent"),
    path("mijn-trainingen/inloggen/<str:token>/", views.my_sign_in, name="my_sign_in"),
    path("mijn-trainingen/overzicht/", views.my_overview, name="my_overview"),
    path("mijn-trainingen/uitloggen/", views.my_sign_out, name="my_sign_out"),
    path("mijn-trainingen/mijn-gegevens.<str:fmt>", views.my_export, name="my_export"),
    path("trainingen/aanvragen/in-company/", views.request_in_company, name="request_in_company"),
    path(
        "trainingen/aanvragen/pressure-cooker/",
        views.request_pressure_cooker,
        name="request_pressure_cooker",
    ),
    path("trainingen/aanvragen/bedankt/", views.request_thanks, name="request_thanks"),
]
