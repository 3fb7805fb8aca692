from rest_framework.routers import SimpleRouter

from dangan.certificates.api import ApplicationViewSet, CertificateTypeViewSet, CertificateViewSet

router = SimpleRouter()
router.register("certificates/applications", ApplicationViewSet, basename="certificate-application")
router.register("certificates/types", CertificateTypeViewSet, basename="certificate-type")
router.register("certificates", CertificateViewSet, basename="certificate")
urlpatterns = router.urls
