"""Forms that validate the query strings of the browsing pages."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from matrices.models import Offering
from matrices.selectors.search import SEARCH_MIN_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search duties",
        min_length=SEARCH_MIN_LENGTH,
        max_length=200,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "e.g. encryption, SSO, backups",
                "autocomplete": "off",
            }
        ),
    )


class CompareForm(forms.Form):
    o = forms.MultipleChoiceField(
        label="Offerings to compare",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least two offerings to compare."},
    )
    only_diff = forms.BooleanField(label="Show only rows that differ", required=False)

    def __init__(self, *args, offerings: Sequence[Offering], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offerings = {offering.slug: offering for offering in offerings}
        self.fields["o"].choices = [(o.slug, o.name) for o in offerings]

    def clean_o(self) -> list[Offering]:
        slugs = self.cleaned_data["o"]
        if len(slugs) < 2:
            raise forms.ValidationError("Pick at least two offerings to compare.")
        # Keep the provider's column order, whatever order the query string used.
        return [offering for slug, offering in self.offerings.items() if slug in slugs]
