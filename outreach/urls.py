from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [path("thema/<slug:slug>/", views.theme, name="theme")]
