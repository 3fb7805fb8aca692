from django.urls import path

from dangan.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("today/", views.today, name="today"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/step/", views.request_step_view, name="step"),
]
