from django.urls import path

from dangan.agencies import views

app_name = "agencies"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
]
