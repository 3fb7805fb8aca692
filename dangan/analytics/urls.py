from django.urls import path

from dangan.analytics import views

app_name = "analytics"
urlpatterns = [path("", views.dashboard, name="home")]
