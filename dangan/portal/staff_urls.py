"""Staff console pages of employers' online reports; mounted at /console/employer-reports/."""

from django.urls import path

from dangan.portal import staff_views

app_name = "employer_reports"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/accept/", staff_views.accept, name="accept"),
    path("<int:pk>/reject/", staff_views.reject, name="reject"),
]
