"""The content of the matrix: one cell per (offering, domain), its duties per party."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from audit.models import ObjectType
from matrices.models.catalogue import Ownership
from matrices.models.provider import ControlDomain, Offering, Party, Provider
from matrices.richtext import clean_markdown, render_markdown

DUTY_TEXT_MISSING = "Write the duty, or mark it not applicable."
DUTY_TEXT_ONLY_HTML = (
    "Raw HTML is removed from duties, and nothing was left: "
    "write the duty in Markdown, or mark it not applicable."
)


def duty_text_problem(text: str, *, not_applicable: bool) -> str | None:
    """Why ``text`` cannot be a duty's text once cleaned, or None when it can.

    A "not applicable" item needs no text. Otherwise the text must keep something
    after ``clean_markdown``; when it was not empty before, the raw HTML it held
    is what went, and the message says so.
    """
    if not_applicable or clean_markdown(text):
        return None
    return DUTY_TEXT_ONLY_HTML if text.strip() else DUTY_TEXT_MISSING


class Cell(models.Model):
    """Who owns one control domain in one offering, and what each party must do there.

    ``provider`` repeats the offering's and the domain's provider so that the
    database itself can refuse a cell that mixes providers (see the
    ``0002_same_provider_triggers`` migration).
    """

    audit_type = ObjectType.CELL  # how the audit log names it

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="cells")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="cells")
    domain = models.ForeignKey(ControlDomain, on_delete=models.CASCADE, related_name="cells")
    ownership = models.CharField(max_length=20, choices=Ownership.choices)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "domain"], name="cell_unique_offering_domain"
            ),
            models.CheckConstraint(
                condition=Q(ownership__in=Ownership.values), name="cell_ownership_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain} / {self.offering}"

    def audit_snapshot(self) -> dict:
        """Ownership and every duty, as the audit log keeps them (one query)."""
        duties = self.duties.select_related("party").order_by("party__position", "position", "id")
        return {
            "offering": self.offering.slug,
            "domain": self.domain.slug,
            "ownership": self.ownership,
            "duties": [duty.audit_snapshot() for duty in duties],
        }


class Duty(models.Model):
    """One item of what a party must do in a cell.

    A party may hold several items in one cell, in ``position`` order. An item
    is either a duty (Markdown ``text``, possibly marked ``advanced``: optional
    hardening) or a "not applicable" marker, whose text is an optional note.
    """

    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="duties")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="duties")
    text = models.TextField(blank=True, help_text="Markdown; links allowed, raw HTML removed.")
    text_html = models.TextField(blank=True, editable=False)
    advanced = models.BooleanField(default=False, help_text="Advanced or optional hardening.")
    not_applicable = models.BooleanField(default=False)
    scope = models.CharField(
        max_length=80, blank=True, help_text='Where it applies, e.g. "Cloud Console".'
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "duties"
        indexes = [models.Index(fields=["cell", "party", "position"], name="duty_cell_party_pos")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(advanced=True, not_applicable=True),
                name="duty_not_both_advanced_and_na",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=True) | ~Q(text=""), name="duty_text_unless_na"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {'N/A' if self.not_applicable else self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        # Every path that saves a duty (services, admin, shell) stores clean
        # Markdown and its sanitised rendering; templates trust ``text_html``.
        self.text = clean_markdown(self.text)
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)

    def audit_snapshot(self) -> dict:
        return {
            "party": self.party.name,
            "text": self.text,
            "advanced": self.advanced,
            "not_applicable": self.not_applicable,
            "scope": self.scope,
        }

    def clean(self) -> None:
        problem = duty_text_problem(self.text, not_applicable=self.not_applicable)
        self.text = clean_markdown(self.text)
        if self.not_applicable and self.advanced:
            raise ValidationError("A duty cannot be both advanced and not applicable.")
        if problem:
            raise ValidationError({"text": problem})
