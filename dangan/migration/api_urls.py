from django.urls import path

from dangan.migration import api

urlpatterns = [
    path("imports/", api.JobListView.as_view(), name="api-imports"),
    path("imports/template/", api.TemplateView.as_view(), name="api-imports-template"),
    path("imports/<int:job_id>/", api.JobDetailView.as_view(), name="api-import"),
    path("imports/<int:job_id>/confirm/", api.JobConfirmView.as_view(), name="api-import-confirm"),
    path("imports/<int:job_id>/report/", api.JobReportView.as_view(), name="api-import-report"),
]
