from matrices.models.catalogue import CcmDomain, Ownership
from matrices.models.cell import Cell, Duty
from matrices.models.document import PdfDocument, PdfVariant
from matrices.models.imports import ImportJob
from matrices.models.provider import (
    ControlDomain,
    Offering,
    OfferingKind,
    Party,
    PartyRole,
    Provider,
    ServiceModel,
    SourceDocument,
)
from matrices.models.version import MatrixVersion, Submission

__all__ = [
    "CcmDomain",
    "Cell",
    "ControlDomain",
    "Duty",
    "ImportJob",
    "MatrixVersion",
    "Offering",
    "OfferingKind",
    "Ownership",
    "Party",
    "PartyRole",
    "PdfDocument",
    "PdfVariant",
    "Provider",
    "ServiceModel",
    "SourceDocument",
    "Submission",
]
