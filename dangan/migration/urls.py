from django.urls import path

from dangan.migration import views

app_name = "migration"
urlpatterns = [
    path("", views.home, name="home"),
    path("template.xlsx", views.template, name="template"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/report.xlsx", views.job_report, name="job_report"),
    path("jobs/<int:job_id>/confirm/", views.job_confirm, name="job_confirm"),
]
