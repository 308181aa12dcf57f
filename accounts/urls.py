from django.urls import include, path

from accounts import views

app_name = "accounts"

urlpatterns = [
    # The portal's names for allauth's sign-in and sign-out (LOGIN_URL, the header's links).
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/tokens/", views.api_tokens, name="api_tokens"),
    path("accounts/invitations/<str:token>/", views.invitation, name="invitation"),
]

# allauth's pages (password reset and change, email addresses, MFA, SSO, sessions) under
# their own names (account_login, mfa_index, ...): included by portal.urls outside the
# "accounts" namespace, since allauth reverses them without one.
allauth_urlpatterns = [path("accounts/", include("allauth.urls"))]
