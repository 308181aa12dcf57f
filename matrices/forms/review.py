"""Forms of the four-eyes review on the versions page: submit, approve, return, withdraw."""

from __future__ import annotations

from django import forms


class SubmitForm(forms.Form):
    summary = forms.CharField(
        label="Summary of changes",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed and why: the approver reviews it, auditors read it in the history.",
    )


class ApproveForm(forms.Form):
    submission = forms.IntegerField(widget=forms.HiddenInput)
    expected_hash = forms.CharField(max_length=64, min_length=64, widget=forms.HiddenInput)
    comment = forms.CharField(label="Comment", required=False, max_length=2000)


class ReturnForm(forms.Form):
    submission = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="What should change", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    submission = forms.IntegerField(widget=forms.HiddenInput)
