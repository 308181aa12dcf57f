"""Django admin for accounts: read-only, like the matrices' admin.

Users are administered on the portal's People pages, whose services check the
actor, refuse to lock the site out and audit each change with its reason; the
admin could do none of that, so it only shows. The same holds for what allauth
registers about a person (email addresses, second factors, sessions, SSO connections): they
change through allauth's own, audited pages.
"""

from allauth.account import admin as account_admin
from allauth.account.models import EmailAddress
from allauth.mfa import admin as mfa_admin
from allauth.mfa.models import Authenticator
from allauth.socialaccount import admin as socialaccount_admin
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from allauth.usersessions import admin as usersessions_admin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group


class ReadOnly:
    """No add, change or delete from the admin: writes go through the audited services.
    No actions either (allauth's "mark as verified" would write)."""

    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


READ_ONLY = {
    get_user_model(): UserAdmin,
    Group: GroupAdmin,
    EmailAddress: account_admin.EmailAddressAdmin,
    Authenticator: mfa_admin.AuthenticatorAdmin,
    UserSession: usersessions_admin.UserSessionAdmin,
    # Single sign-on: connections change on the account's SSO page (audited); the one
    # identity provider comes from the environment (OIDC_*), never from the database.
    SocialAccount: socialaccount_admin.SocialAccountAdmin,
    SocialToken: socialaccount_admin.SocialTokenAdmin,
    SocialApp: socialaccount_admin.SocialAppAdmin,
}

for model, model_admin in READ_ONLY.items():
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"ReadOnly{model_admin.__name__}", (ReadOnly, model_admin), {}))
