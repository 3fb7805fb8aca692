from django.urls import path

from dangan.analytics.views import SummaryView

urlpatterns = [path("analytics/summary/", SummaryView.as_view(), name="api-analytics-summary")]
