"""``/api/v1/``: providers, and under each one its draft, versions, review, PDFs, log, access
and invitations."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from matrices.api import schema  # noqa: F401 - registers the schema extensions
from matrices.api.access import AccessDetail, AccessList
from matrices.api.audit_log import ProviderLog, ProviderLogExport, SiteLog, SiteLogExport
from matrices.api.cells import CellDetail, CellViewSet, DutyViewSet
from matrices.api.documents import PdfViewSet
from matrices.api.exchange import ImportJobDetail, ImportView, MatrixExport
from matrices.api.invitations import InvitationDetail, InvitationList, InvitationResend
from matrices.api.structure import DomainViewSet, OfferingViewSet, PartyViewSet
from matrices.api.verify import VerifyView
from matrices.api.views import ProviderViewSet, ReviewState, ReviewViewSet, VersionViewSet

app_name = "api"

PROVIDER = r"providers/(?P<provider_slug>[-a-zA-Z0-9_]+)"

router = DefaultRouter()
router.register("providers", ProviderViewSet, basename="provider")
router.register(f"{PROVIDER}/offerings", OfferingViewSet, basename="offering")
router.register(f"{PROVIDER}/parties", PartyViewSet, basename="party")
router.register(f"{PROVIDER}/domains", DomainViewSet, basename="domain")
router.register(f"{PROVIDER}/cells", CellViewSet, basename="cell")
router.register(f"{PROVIDER}/duties", DutyViewSet, basename="duty")
router.register(f"{PROVIDER}/versions", VersionViewSet, basename="version")
router.register(f"{PROVIDER}/review", ReviewViewSet, basename="review")
router.register(f"{PROVIDER}/pdfs", PdfViewSet, basename="pdf")

provider = "providers/<slug:provider_slug>/"

urlpatterns = [
    path("verify/", VerifyView.as_view(), name="verify"),
    path(
        f"{provider}cells/<slug:offering>/<slug:domain>/",
        CellDetail.as_view(),
        name="cell-detail",
    ),
    path(f"{provider}review/", ReviewState.as_view({"get": "get"}), name="review"),
    path(f"{provider}import/", ImportView.as_view(), name="import"),
    path(f"{provider}imports/<int:pk>/", ImportJobDetail.as_view(), name="import-job"),
    path(f"{provider}export.<str:fmt>", MatrixExport.as_view(), name="export"),
    path(f"{provider}audit/", ProviderLog.as_view(), name="audit"),
    path(f"{provider}audit/export.<str:fmt>", ProviderLogExport.as_view(), name="audit-export"),
    path(f"{provider}access/", AccessList.as_view(), name="access"),
    path(f"{provider}access/<str:kind>/<str:name>/", AccessDetail.as_view(), name="access-detail"),
    path(f"{provider}invitations/", InvitationList.as_view(), name="invitations"),
    path(f"{provider}invitations/<int:pk>/", InvitationDetail.as_view(), name="invitation-detail"),
    path(
        f"{provider}invitations/<int:pk>/resend/",
        InvitationResend.as_view(),
        name="invitation-resend",
    ),
    path("audit/", SiteLog.as_view(), name="site-audit"),
    path("audit/export.<str:fmt>", SiteLogExport.as_view(), name="site-audit-export"),
    *router.urls,
]
