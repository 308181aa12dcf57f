"""Fixtures for the PDF tests (helpers to read PDFs back live in ``pdftools``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def tiny_snapshot() -> Callable[..., dict[str, Any]]:
    """A one-domain, one-offering snapshot whose duties the test writes (raw ``text_html``)."""

    def build(*duties: dict[str, Any], sources: list[dict[str, str]] | None = None) -> dict:
        return {
            "schema": 1,
            "provider": {
                "id": 1,
                "name": "Acme Cloud",
                "slug": "acme",
                "website": "https://acme.example",
                "summary": "Acme runs databases.",
                "is_template": False,
            },
            "sources": sources or [],
            "offerings": [
                {
                    "id": 1,
                    "name": "Acme Managed",
                    "slug": "managed",
                    "kind": "managed",
                    "service_model": "paas",
                    "description": "The managed service.",
                }
            ],
            "parties": [
                {"id": 1, "name": "Customer", "role": "customer"},
                {"id": 2, "name": "Acme", "role": "provider"},
            ],
            "domains": [
                {
                    "id": 1,
                    "name": "Access control",
                    "slug": "access-control",
                    "description": "Who can reach what.",
                    "category": "IAM",
                }
            ],
            "cells": [
                {
                    "offering": 1,
                    "domain": 1,
                    "ownership": "shared",
                    "duties": [
                        {
                            "party": 1,
                            "text": "",
                            "advanced": False,
                            "not_applicable": False,
                            "scope": "",
                            **duty,
                        }
                        for duty in duties
                    ],
                }
            ],
        }

    return build
