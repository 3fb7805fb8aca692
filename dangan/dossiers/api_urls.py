from django.urls import path
from rest_framework.routers import SimpleRouter

from dangan.dossiers.api import DossierViewSet, GapViewSet, IntakeNoticeView, IntakeView

router = SimpleRouter()
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("gaps", GapViewSet, basename="gap")
urlpatterns = [
    path("intakes/", IntakeView.as_view(), name="api-intake"),
    path("intakes/<int:pk>/notice/", IntakeNoticeView.as_view(), name="api-intake-notice"),
    *router.urls,
]
