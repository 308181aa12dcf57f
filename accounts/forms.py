"""Forms of the sign-in and Access pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.access import restrict_providers
from accounts.models import ApiToken, TokenScope
from accounts.roles import Action, Role, Visibility

REASON = forms.CharField(
    label="Reason",
    max_length=500,
    required=True,
    help_text="Kept in the audit log with the change.",
    widget=forms.TextInput(attrs={"placeholder": "e.g. joined the compliance team"}),
)


class RoleChangeForm(forms.Form):
    """Grant, change or revoke one principal's role; confirmed in a second step."""

    principal_kind = forms.ChoiceField(
        label="Who", choices=[("user", "User"), ("group", "Group")], initial="user"
    )
    principal = forms.CharField(
        label="Username or group name", max_length=150, help_text="An existing account or group."
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "No role (revoke)"), *Role.choices],
        required=False,
    )
    reason = REASON
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        name = data.get("principal", "").strip()
        if not name:
            return data
        if data.get("principal_kind") == "group":
            data["principal_obj"] = Group.objects.filter(name=name).first()
        else:
            data["principal_obj"] = (
                get_user_model().objects.filter(username=name, is_active=True).first()
            )
        if data["principal_obj"] is None:
            self.add_error(
                "principal", f"No active {data.get('principal_kind', 'user')} named {name!r}."
            )
        return data

    @property
    def role_obj(self) -> Role | None:
        value = self.cleaned_data.get("role")
        return Role(value) if value else None


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who can see the published matrix", choices=Visibility.choices
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason", max_length=500, required=False)


class TokenForm(forms.Form):
    """A new token: its name, expiry, scope and (optionally) the providers it is limited to."""

    name = forms.CharField(
        label="Name", max_length=100, help_text="What will use it, e.g. “nightly export”."
    )
    expires_at = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional; leave empty for no expiry.",
    )
    scope = forms.TypedChoiceField(
        label="It may",
        choices=TokenScope.choices,
        coerce=TokenScope,
        initial=TokenScope.READ,
        required=False,
        empty_value=TokenScope.READ,  # not said: the safer one
        widget=forms.RadioSelect,
    )
    providers = forms.ModelMultipleChoiceField(
        label="Only these providers",
        queryset=None,  # the providers the user can see: set per user below
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for every provider you can see.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The providers the user can see (the model named by the token's field: this app
        # does not import the matrices app).
        model = ApiToken.providers.field.related_model
        self.fields["providers"].queryset = restrict_providers(
            model.objects.order_by("name"), user, Action.VIEW
        )


class InvitationForm(forms.Form):
    """Invite an email address to a role (the Access page's "Invite by email")."""

    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.VIEWER)
    reason = REASON


class InvitationRevokeForm(forms.Form):
    """Revoke a pending invitation; asked from the table, confirmed with a reason."""

    reason = REASON


class InvitationSignUpForm(forms.Form):
    """The invitee's new account: a username and a password (checked by the validators)."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[get_user_model().username_validator],
        help_text="Letters, digits and @ . + - _ only; you sign in with it or your email.",
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters: not common, not all digits, not like your username.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", "The two passwords differ.")
        return data


class InvitationAcceptForm(forms.Form):
    """A signed-in user accepts; ``confirm`` when the address is not yet one of theirs."""

    confirm = forms.BooleanField(required=False)
