from rest_framework.routers import SimpleRouter

from dangan.lending.api.views import ConsultationViewSet, CopyViewSet, LoanViewSet, RelativeViewSet, SessionViewSet

router = SimpleRouter()
router.register("consultations/sessions", SessionViewSet, basename="consultation-session")
router.register("consultations/copies", CopyViewSet, basename="consultation-copy")
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("loans", LoanViewSet, basename="loan")
router.register("relatives", RelativeViewSet, basename="relative")
urlpatterns = router.urls
