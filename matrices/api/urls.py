from rest_framework.routers import DefaultRouter

from matrices.api.views import ProviderViewSet

router = DefaultRouter()
router.register("providers", ProviderViewSet, basename="provider")

urlpatterns = router.urls
