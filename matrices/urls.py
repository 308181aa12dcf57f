from django.urls import path

from matrices import views
from matrices.views import (
    access,
    audit_log,
    documents,
    edit,
    exchange,
    onboarding,
    structure,
    verify,
    versions,
)

app_name = "matrices"

provider = "providers/<slug:provider>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("verify/", verify.verify_page, name="verify"),
    # Before the provider pages, so "new" is never read as a slug (it is reserved).
    path("providers/new/", onboarding.provider_new, name="provider_new"),
    path(provider, views.provider_matrix, name="provider"),
    path(f"{provider}compare/", views.compare, name="compare"),
    path(f"{provider}offerings/<slug:offering>/", views.offering_detail, name="offering"),
    path(
        f"{provider}offerings/<slug:offering>/checklist/",
        views.customer_checklist,
        name="checklist",
    ),
    # Exports (long format; JSON in the API's shape)
    path(f"{provider}export.<str:fmt>", exchange.export, name="export"),
    path(f"{provider}import/", exchange.import_matrix, name="import"),
    path(f"{provider}import/<int:pk>/", exchange.import_job, name="import_job"),
    # Trust-center PDFs
    path(f"{provider}pdf/", documents.pdf_start, name="pdf_start"),
    path(f"{provider}pdf/<int:pk>/", documents.pdf_status, name="pdf_status"),
    path(f"{provider}pdf/<int:pk>/download/", documents.pdf_download, name="pdf_download"),
    # Versions and four-eyes review
    path(f"{provider}versions/", versions.versions, name="versions"),
    path(f"{provider}versions/<int:number>/", versions.version_detail, name="version"),
    path(
        f"{provider}versions/<str:old>/diff/<str:new>/", versions.version_diff, name="version_diff"
    ),
    path(f"{provider}review/submit/", versions.review_submit, name="review_submit"),
    path(f"{provider}review/approve/", versions.review_approve, name="review_approve"),
    path(f"{provider}review/return/", versions.review_return, name="review_return"),
    path(f"{provider}review/withdraw/", versions.review_withdraw, name="review_withdraw"),
    # Editing (editors and provider admins)
    path(f"{provider}cells/<slug:offering>/<slug:domain>/edit/", edit.cell_edit, name="cell_edit"),
    path(f"{provider}cells/<slug:offering>/<slug:domain>/", edit.cell_row, name="cell_row"),
    path(f"{provider}preview/", edit.markdown_preview, name="markdown_preview"),
    path(f"{provider}structure/", structure.structure, name="structure"),
    path(f"{provider}structure/<str:kind>/add/", structure.axis_add, name="axis_add"),
    path(f"{provider}structure/<str:kind>/<int:pk>/", structure.axis_edit, name="axis_edit"),
    path(
        f"{provider}structure/<str:kind>/<int:pk>/move/", structure.axis_move_view, name="axis_move"
    ),
    path(
        f"{provider}structure/<str:kind>/<int:pk>/delete/",
        structure.axis_delete_view,
        name="axis_delete",
    ),
    # Who holds which role, who may see it (provider admins)
    path(f"{provider}access/", access.access, name="access"),
    path(f"{provider}visibility/", access.visibility, name="visibility"),
    path(f"{provider}invitations/", access.invite, name="invite"),
    path(
        f"{provider}invitations/<int:pk>/resend/",
        access.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        f"{provider}invitations/<int:pk>/revoke/",
        access.invitation_revoke_view,
        name="invitation_revoke",
    ),
    # The audit log: a provider's (its auditors...), the site's (site administrators)
    path(f"{provider}audit/", audit_log.provider_log, name="audit_log"),
    path(f"{provider}audit/export.<str:fmt>", audit_log.provider_export, name="audit_export"),
    path("audit/", audit_log.site_log, name="site_audit_log"),
    path("audit/export.<str:fmt>", audit_log.site_export, name="site_audit_export"),
]
