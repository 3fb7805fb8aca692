from rest_framework.routers import SimpleRouter

from dangan.reviews.api import PartyTransferViewSet, PoliticalReviewViewSet

router = SimpleRouter()
router.register("political-reviews", PoliticalReviewViewSet, basename="political-review")
router.register("party-transfers", PartyTransferViewSet, basename="party-transfer")
urlpatterns = router.urls
