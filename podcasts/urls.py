app_name = "podcasts"
urlpatterns: list = []
