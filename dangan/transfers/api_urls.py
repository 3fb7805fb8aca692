from rest_framework.routers import SimpleRouter

from dangan.transfers.api import LetterViewSet, TransferViewSet

router = SimpleRouter()
router.register("transfers", TransferViewSet, basename="transfer")
router.register("transfer-letters", LetterViewSet, basename="transfer-letter")
urlpatterns = router.urls
