from django.urls import path
from rest_framework.routers import SimpleRouter

from dangan.casework.api import RequestViewSet, ServiceTypeView

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="request")
urlpatterns = [path("service-types/", ServiceTypeView.as_view(), name="api-service-types"), *router.urls]
