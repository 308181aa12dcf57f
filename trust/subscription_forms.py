"""The subscribe form: an email address (the account's own, fixed, for a signed-in reader)
and a honeypot field that people never see and bots fill in."""

from __future__ import annotations

from django import forms

HONEYPOT = "website"


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label="Email address",
        help_text="We email a link to confirm it; nothing is sent before you do.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people by CSS (and from assistive technology): only bots fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            field = self.fields["email"]
            field.initial, field.disabled = user.email, True
            field.required = bool(user.email)  # else the service says to add one
            field.help_text = (
                "Your account's address. We email a link to confirm it; nothing is sent before."
            )

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled in (read after ``is_valid``)."""
        return bool(self.cleaned_data.get(HONEYPOT, "").strip())
