from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from dangan.agencies.api import AgencyViewSet, MeView, TokenView
from dangan.audit.api import AuditEventViewSet
from dangan.core.api_views import CodeTableView
from dangan.workdays.api import WorkdayView

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("audit/events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("code-tables/<str:name>/", CodeTableView.as_view(), name="api-code-table"),
    path("workdays/due/", WorkdayView.as_view(), name="api-workday-due"),
    path("", include(router.urls)),
    path("", include("dangan.dossiers.api_urls")),
    path("", include("dangan.materials.api_urls")),
    path("", include("dangan.storage.api_urls")),
    path("", include("dangan.agreements.api_urls")),
    path("", include("dangan.casework.api_urls")),
    path("", include("dangan.transfers.api_urls")),
    path("", include("dangan.lending.api_urls")),
    path("", include("dangan.reviews.api_urls")),
    path("", include("dangan.analytics.api_urls")),
    path("", include("dangan.migration.api_urls")),
    path("", include("dangan.certificates.api_urls")),
    path("", include("dangan.ratings.api_urls")),
]
