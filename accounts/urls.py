from django.urls import include, path

from accounts import people_views, views

app_name = "accounts"

urlpatterns = [
    # The portal's names for allauth's sign-in and sign-out (LOGIN_URL, the header's links).
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/tokens/", views.api_tokens, name="api_tokens"),
    # Account administration, for site administrators.
    path("people/", people_views.people_list, name="people"),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/<int:pk>/", people_views.person_detail, name="person"),
    path("people/<int:pk>/<slug:action>/", people_views.person_action, name="person_action"),
    path("accounts/invitations/<str:token>/", views.invitation, name="invitation"),
]

# allauth's pages (password reset and change, email addresses, MFA, SSO, sessions) under
# their own names (account_login, mfa_index, ...): included by portal.urls outside the
# "accounts" namespace, since allauth reverses them without one.
allauth_urlpatterns = [path("accounts/", include("allauth.urls"))]
