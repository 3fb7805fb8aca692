from django.urls import include, path
from django.views.generic import RedirectView

from dangan.certificates.views import certificate_verify
from dangan.core.views import healthz, ping
from dangan.ratings.views import visit_rate
from dangan.transfers.views import letter_verify

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("accounts/", include("dangan.agencies.urls")),
    path("console/", include("dangan.console.urls")),
    path("portal/", include("dangan.portal.urls")),
    path("console/analytics/", include("dangan.analytics.urls")),
    path("console/migration/", include("dangan.migration.urls")),
    path("console/dossiers/", include("dangan.dossiers.urls")),
    path("console/materials/", include("dangan.materials.urls")),
    path("console/storage/", include("dangan.storage.urls")),
    path("console/agreements/", include("dangan.agreements.urls")),
    path("console/employer-reports/", include("dangan.portal.staff_urls")),
    path("console/requests/", include("dangan.casework.urls")),
    path("console/transfers/", include("dangan.transfers.urls")),
    path("console/lending/", include("dangan.lending.urls")),
    path("console/reviews/", include("dangan.reviews.urls")),
    path("verify/letter/<str:number>/", letter_verify, name="letter_verify"),
    path("console/certificates/", include("dangan.certificates.urls")),
    path("console/ratings/", include("dangan.ratings.urls")),
    path("verify/certificate/<str:serial>/", certificate_verify, name="certificate_verify"),
    path("rate/<str:token>/", visit_rate, name="rating_visit"),
    path("api/v1/", include("config.api_urls")),
]

handler400 = "dangan.core.views.bad_request"
handler403 = "dangan.core.views.permission_denied"
handler404 = "dangan.core.views.page_not_found"
handler500 = "dangan.core.views.server_error"
