"""Forms of the trust center: the access request (with its defences against bots), the
settings, and the managers' decisions."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from datetime import time as day_time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from matrices.models import Offering, Provider

# The bot defences: a signed time the form was shown, and a field only bots fill in.
STAMP_SALT = "trust.access-request"
STAMP_MIN_SECONDS = 3
STAMP_MAX_SECONDS = 24 * 3600
HONEYPOT = "website"
TOO_FAST = "That was faster than anyone types: wait a few seconds, then send the form again."
STALE = "This form was open for more than a day: here it is again, send it once more."
TAMPERED = "This form could not be checked (was it changed?): here it is again, send it once more."
HONEYPOT_FILLED = "This request looks automated and was not sent."


def request_stamp(provider: Provider, *, at: float | None = None) -> str:
    """The signed time the request form was shown, for this provider."""
    return signing.dumps(
        {"p": provider.pk, "t": time.time() if at is None else at}, salt=STAMP_SALT
    )


def stamp_problem(provider: Provider, stamp: str) -> str:
    """Why the form's stamp is refused ("" if it is fine): tampered, another provider's,
    older than a day, or sent within ``STAMP_MIN_SECONDS``."""
    try:
        value = signing.loads(stamp, salt=STAMP_SALT, max_age=STAMP_MAX_SECONDS)
    except signing.SignatureExpired:
        return STALE
    except signing.BadSignature:
        return TAMPERED
    if not isinstance(value, dict) or value.get("p") != provider.pk:
        return TAMPERED
    try:
        elapsed = time.time() - float(value.get("t"))
    except (TypeError, ValueError):
        return TAMPERED
    if elapsed > STAMP_MAX_SECONDS:
        return STALE
    if elapsed < STAMP_MIN_SECONDS:
        return TOO_FAST
    return ""


class AccessRequestForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(
        label="Work email",
        max_length=254,
        help_text="We send a link to confirm it; your access is tied to it.",
    )
    company = forms.CharField(label="Company", max_length=150)
    purpose = forms.CharField(
        label="Why you need access",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="e.g. “security review before we sign”; the provider's team reads it.",
    )
    # Hidden by CSS and from assistive technology; people leave it empty, bots fill it.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, provider: Provider, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider

    def clean(self) -> dict:
        data = super().clean()
        if data.get(HONEYPOT):
            raise ValidationError(HONEYPOT_FILLED, code="honeypot")
        problem = stamp_problem(self.provider, self.data.get("stamp", ""))
        if problem:
            raise ValidationError(problem, code="stamp")
        return data


class TrustCenterForm(forms.Form):
    enabled = forms.BooleanField(
        label="Trust center enabled",
        required=False,
        help_text="Outsiders see the trust-center page and may ask for access.",
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown atop the trust-center page; Markdown (links, emphasis, lists).",
    )
    default_days = forms.IntegerField(label="Access lasts (days)")
    auto_approve_domains = forms.CharField(
        label="Approve these email domains at once",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "example.com"}),
        help_text="One per line. A confirmed address at one of them reads at once, for the "
        "default time.",
    )
    reason = forms.CharField(label="Reason", max_length=500, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_days"] = forms.IntegerField(
            label="Access lasts (days)",
            min_value=1,
            max_value=settings.TRUST_MAX_DAYS,  # the setting, as it is now
            help_text="What an approval offers unless the approver chooses otherwise.",
        )

    def clean_auto_approve_domains(self) -> list[str]:
        return self.cleaned_data["auto_approve_domains"].splitlines()


# The days a form names are days of the portal's time zone (TIME_ZONE), the one its pages
# and emails show dates in, whatever zone a request may have activated.


def portal_today() -> date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


def portal_date(moment: datetime) -> date:
    """The day ``moment`` falls on in the portal's time zone."""
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def end_of_day(day: date) -> datetime:
    """Access "until" a day lasts to its very end in the portal's time zone (the last
    microsecond, so the day shown for it is the day chosen)."""
    return datetime.combine(day, day_time.max, tzinfo=timezone.get_default_timezone())


def last_day_allowed() -> date:
    return portal_today() + timedelta(days=settings.TRUST_MAX_DAYS - 1)


class _UntilForm(forms.Form):
    expires_on = forms.DateField(
        label="Until (inclusive)",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["expires_on"].widget
        widget.attrs["min"] = portal_today().isoformat()
        widget.attrs["max"] = last_day_allowed().isoformat()
        self.fields["expires_on"].help_text = (
            f"Access ends as that day ends ({settings.TIME_ZONE}); "
            f"at most {settings.TRUST_MAX_DAYS} days away."
        )

    def clean_expires_on(self) -> date:
        day = self.cleaned_data["expires_on"]
        if day < portal_today():
            raise ValidationError("Choose today or a later day.")
        if day > last_day_allowed():
            raise ValidationError(f"Access is given for at most {settings.TRUST_MAX_DAYS} days.")
        return day

    @property
    def expires_at(self) -> datetime:
        return end_of_day(self.cleaned_data["expires_on"])


class ApproveForm(_UntilForm):
    offerings = forms.ModelMultipleChoiceField(
        label="Offerings",
        queryset=Offering.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every offering.",
    )

    def __init__(self, *args, offerings, default_days: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offerings"].queryset = offerings
        self.fields["offerings"].to_field_name = "slug"
        if not self.is_bound:
            self.initial["expires_on"] = portal_today() + timedelta(days=default_days)


class DenyForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the requester)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtendForm(_UntilForm):
    reason = forms.CharField(label="Reason", max_length=500, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=500, help_text="Kept in the audit log.")
