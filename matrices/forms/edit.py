"""Forms for editing a matrix: a cell with its duty items, and the axes (domains...)."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.forms import formset_factory

from matrices.models import Cell, ControlDomain, Offering, Ownership, Party
from matrices.models.cell import duty_text_problem
from matrices.services import DutyInput

REASON_HELP = "Optional; kept in the audit log with the change."
MAX_ITEMS_PER_PARTY = 30
# The name of the "Add another item" buttons; the value is the party's id. Without
# JavaScript they submit the form, and the editor comes back with one more empty item.
ADD_ITEM = "add-item"


class DutyItemForm(forms.Form):
    text = forms.CharField(
        label="Duty",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Markdown: **bold**, *italic*, [link](https://…). Empty removes the item.",
    )
    scope = forms.CharField(label="Applies to", required=False, max_length=80)
    advanced = forms.BooleanField(label="Advanced / optional", required=False)
    not_applicable = forms.BooleanField(label="Not applicable", required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("advanced") and data.get("not_applicable"):
            raise forms.ValidationError("An item is either advanced or not applicable, not both.")
        # An empty text removes the item; a text that only held raw HTML would end
        # up empty once cleaned, and is refused rather than silently dropped.
        text, not_applicable = data.get("text", ""), data.get("not_applicable", False)
        if text and (problem := duty_text_problem(text, not_applicable=not_applicable)):
            self.add_error("text", problem)
        return data

    def to_input(self) -> DutyInput | None:
        """The item for the service, or None when it was left empty (removed)."""
        data = self.cleaned_data
        if not data or (not data.get("text", "").strip() and not data.get("not_applicable")):
            return None
        return DutyInput(
            text=data.get("text", ""),
            advanced=data.get("advanced", False),
            not_applicable=data.get("not_applicable", False),
            scope=data.get("scope", "").strip(),
        )


class BaseDutyItemFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": "At most %(num)d items per party."}

    def is_full(self) -> bool:
        """No room for another item ("Add another item" adds none)."""
        return self.total_form_count() >= self.max_num


DutyItemFormSet = formset_factory(
    DutyItemForm,
    formset=BaseDutyItemFormSet,
    extra=1,
    max_num=MAX_ITEMS_PER_PARTY,
    validate_max=True,
    absolute_max=60,
)


class CellForm(forms.Form):
    """Ownership, the version edited and a reason; duty items come in a formset per party."""

    ownership = forms.ChoiceField(label="Ownership", choices=Ownership.choices)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason", required=False, max_length=500, help_text=REASON_HELP)


class CellEditor:
    """The cell form plus one duty formset per party, bound or initial.

    Data that names a party in ``ADD_ITEM`` asks for one more empty item for
    that party (up to the maximum), not for a save: ``adding`` is then true.
    """

    def __init__(
        self, *, cell: Cell | None, parties: Sequence[Party], data=None, duties_by_party=None
    ) -> None:
        self.parties = list(parties)
        self.adding = data is not None and ADD_ITEM in data
        self.adding_to: Party | None = None
        if self.adding:
            data = self._with_one_more_item(data)
        initial = {
            "ownership": cell.ownership if cell else "",
            "version": cell.version if cell else 0,
        }
        self.form = CellForm(data, initial=initial, prefix="cell")
        duties_by_party = duties_by_party or {}
        self.formsets = [
            (
                party,
                DutyItemFormSet(
                    data,
                    prefix=f"p{party.pk}",
                    initial=[
                        {
                            "text": d.text,
                            "scope": d.scope,
                            "advanced": d.advanced,
                            "not_applicable": d.not_applicable,
                        }
                        for d in duties_by_party.get(party.pk, [])
                    ],
                ),
            )
            for party in self.parties
        ]

    @property
    def focus(self) -> str | None:
        """The field to focus: after "Add another item", its party's last item."""
        formsets = dict(self.formsets)
        if self.adding_to is None or not formsets[self.adding_to].forms:
            return None
        return formsets[self.adding_to].forms[-1]["text"].html_name

    def _with_one_more_item(self, data):
        """``data`` with one more form counted for the party named by ``ADD_ITEM``."""
        self.adding_to = next((p for p in self.parties if str(p.pk) == data[ADD_ITEM]), None)
        if self.adding_to is None:
            return data
        key = f"p{self.adding_to.pk}-TOTAL_FORMS"
        try:
            total = int(data.get(key, ""))
        except ValueError:
            return data  # the formset says the management form is broken
        if total >= MAX_ITEMS_PER_PARTY:
            return data  # full: the template says so instead of adding one
        data = data.copy()
        data[key] = str(total + 1)
        return data

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return all([valid, *(formset.is_valid() for _, formset in self.formsets)])

    def duties(self) -> dict[Party, list[DutyInput]]:
        result = {}
        for party, formset in self.formsets:
            items = [item for form in formset.forms if (item := form.to_input()) is not None]
            if items:
                result[party] = items
        return result

    def rejected_text(self) -> dict[str, list[str]]:
        """What the user typed, per party, to show beside a conflict."""
        return {
            party.name: [
                f.cleaned_data.get("text", "")
                for f in formset.forms
                if f.is_valid() and f.cleaned_data.get("text")
            ]
            for party, formset in self.formsets
        }


class _AxisForm(forms.ModelForm):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label="Reason", required=False, max_length=500, help_text=REASON_HELP)


class OfferingForm(_AxisForm):
    class Meta:
        model = Offering
        fields = ["name", "slug", "kind", "service_model", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PartyForm(_AxisForm):
    class Meta:
        model = Party
        fields = ["name", "role"]


class DomainForm(_AxisForm):
    class Meta:
        model = ControlDomain
        fields = ["name", "slug", "description", "category"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class VersionedActionForm(forms.Form):
    """Move or delete: which version the user saw, and why."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason", required=False, max_length=500, help_text=REASON_HELP)
    offset = forms.IntegerField(
        required=False, min_value=-1000, max_value=1000, widget=forms.HiddenInput
    )
