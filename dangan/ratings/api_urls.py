from rest_framework.routers import SimpleRouter

from dangan.ratings.api import RatingViewSet, RectificationViewSet

router = SimpleRouter()
router.register("ratings", RatingViewSet, basename="rating")
router.register("rectifications", RectificationViewSet, basename="rectification")
urlpatterns = router.urls
