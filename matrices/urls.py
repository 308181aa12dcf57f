from django.urls import path

from matrices import views
from matrices.views import edit, structure

app_name = "matrices"

provider = "providers/<slug:provider>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path(provider, views.provider_matrix, name="provider"),
    path(f"{provider}compare/", views.compare, name="compare"),
    path(f"{provider}offerings/<slug:offering>/", views.offering_detail, name="offering"),
    path(
        f"{provider}offerings/<slug:offering>/checklist/",
        views.customer_checklist,
        name="checklist",
    ),
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
]
