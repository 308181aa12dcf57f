"""Built-in vocabularies: CSA CCM v4 ownership values and domain codes."""

from django.db import models


class Ownership(models.TextChoices):
    """Who owns a control in one offering (CSA CCM v4 "SSRM control ownership")."""

    PROVIDER = "provider", "Provider-owned"
    CUSTOMER = "customer", "Customer-owned"
    SHARED = "shared", "Shared (provider and customer)"
    THIRD_PARTY = "third-party", "Third-party outsourced"
    SHARED_THIRD_PARTY = "shared-third-party", "Shared (provider and third party)"
    NOT_APPLICABLE = "n/a", "Not applicable"


OWNERSHIP_HELP = {
    Ownership.PROVIDER: "The provider implements and operates the control.",
    Ownership.CUSTOMER: "The customer implements and operates the control.",
    Ownership.SHARED: "Provider and customer each hold part of the control.",
    Ownership.THIRD_PARTY: "A third party, such as the underlying cloud, holds the control.",
    Ownership.SHARED_THIRD_PARTY: "The provider and a third party each hold part of it.",
    Ownership.NOT_APPLICABLE: "The control does not apply to this offering.",
}

# CSS modifier per ownership value (``own--<slug>``); colour is never the only cue.
OWNERSHIP_CSS = {
    Ownership.PROVIDER: "provider",
    Ownership.CUSTOMER: "customer",
    Ownership.SHARED: "shared",
    Ownership.THIRD_PARTY: "third-party",
    Ownership.SHARED_THIRD_PARTY: "shared-third-party",
    Ownership.NOT_APPLICABLE: "na",
}


class CcmDomain(models.TextChoices):
    """The 17 control domains of the Cloud Controls Matrix v4, for cross-provider comparison."""

    AA = "A&A", "A&A: Audit & Assurance"
    AIS = "AIS", "AIS: Application & Interface Security"
    BCR = "BCR", "BCR: Business Continuity Management & Operational Resilience"
    CCC = "CCC", "CCC: Change Control & Configuration Management"
    CEK = "CEK", "CEK: Cryptography, Encryption & Key Management"
    DCS = "DCS", "DCS: Datacenter Security"
    DSP = "DSP", "DSP: Data Security & Privacy Lifecycle Management"
    GRC = "GRC", "GRC: Governance, Risk & Compliance"
    HRS = "HRS", "HRS: Human Resources"
    IAM = "IAM", "IAM: Identity & Access Management"
    IPY = "IPY", "IPY: Interoperability & Portability"
    IVS = "IVS", "IVS: Infrastructure & Virtualization Security"
    LOG = "LOG", "LOG: Logging & Monitoring"
    SEF = "SEF", "SEF: Security Incident Management, E-Discovery & Cloud Forensics"
    STA = "STA", "STA: Supply Chain Management, Transparency & Accountability"
    TVM = "TVM", "TVM: Threat & Vulnerability Management"
    UEM = "UEM", "UEM: Universal Endpoint Management"
