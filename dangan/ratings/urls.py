from django.urls import path

from dangan.ratings import views

app_name = "ratings"
urlpatterns = [
    path("", views.home, name="home"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="case_action"),
    path("report/", views.report, name="report"),
]
