from django.urls import path

from matrices import views

app_name = "matrices"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("providers/<slug:provider>/", views.provider_matrix, name="provider"),
    path("providers/<slug:provider>/compare/", views.compare, name="compare"),
    path(
        "providers/<slug:provider>/offerings/<slug:offering>/",
        views.offering_detail,
        name="offering",
    ),
    path(
        "providers/<slug:provider>/offerings/<slug:offering>/checklist/",
        views.customer_checklist,
        name="checklist",
    ),
]
