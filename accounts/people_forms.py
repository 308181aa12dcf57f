"""Forms of the People pages (site administrators administering accounts)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from accounts.forms import REASON

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=150, help_text="Username, email or name."
    )
    active = forms.ChoiceField(label="Active", choices=YES_NO, required=False)
    superuser = forms.ChoiceField(label="Superuser", choices=YES_NO, required=False)

    def filters(self) -> dict:
        """Keyword arguments for ``people_selectors.people``."""
        data = self.cleaned_data if self.is_valid() else {}
        flag = {"yes": True, "no": False}
        return {
            "q": data.get("q", "").strip(),
            "active": flag.get(data.get("active", "")),
            "superuser": flag.get(data.get("superuser", "")),
        }


class PersonCreateForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only; kept in lower case.",
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="A link to choose a password is sent there: no password travels.",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    reason = REASON


class PersonActionForm(forms.Form):
    """One action on a person, with its reason; confirmed in a second step."""

    reason = REASON
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
