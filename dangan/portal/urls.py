from django.urls import path

from dangan.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.sign_up, name="signup"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("notices/", views.public_notices, name="notices"),
    path("services/", views.service_list, name="services"),
    path("apply/<slug:code>/", views.apply, name="apply"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/rate/", views.rate, name="rate"),
    path("certificates/<int:pk>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("roster/<int:entry_id>/departure/", views.report_departure, name="report_departure"),
    path("employer/change/", views.report_change, name="report_change"),
]
