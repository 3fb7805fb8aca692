"""The project's URLs plus those of the migration app (deleted at integration)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("console/migration/", include("dangan.migration.urls")),
    path("api/v1/", include("dangan.migration.api_urls")),
]

handler400 = "dangan.core.views.bad_request"
handler403 = "dangan.core.views.permission_denied"
handler404 = "dangan.core.views.page_not_found"
handler500 = "dangan.core.views.server_error"
