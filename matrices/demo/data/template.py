"""Vendor-neutral template: who secures what under IaaS, PaaS and SaaS.

Our own wording of the facts in a public explainer of the shared responsibility
model (see ``sources``); its closing marketing copy is left out. Meant as a
starting point for a new provider's matrix.
"""

from matrices.demo.schema import DutyItem, ProviderSpec

CSP = "Cloud service provider"
CUSTOMER = "Customer"

# Duty lists that the explainer applies to more than one service model.
PHYSICAL_AND_VIRTUAL: list[DutyItem] = [
    "Physically secure the data centres with access control, intrusion detection and "
    "environmental monitoring.",
    "Secure the virtual infrastructure (hypervisors, virtual machines, storage) through "
    "patching, vulnerability management and secure configuration.",
    "Keep the cloud patched, up to date, available and reliable.",
]
PROVIDER_NETWORK: list[DutyItem] = [
    "Protect internal networks from unauthorized access and malicious activity with "
    "firewalls, intrusion detection and prevention (IDS/IPS) and secure routing protocols.",
    "Encrypt customer data in transit inside the provider's network, e.g. with TLS or IPsec.",
]
CUSTOMER_NETWORK: list[DutyItem] = [
    "Configure the network controls, such as firewall rules that match your security "
    "standards, whether the firewall is the provider's or your own.",
]
CUSTOMER_IAM: list[DutyItem] = [
    "Set up strong authentication and authorization to control who reaches your data and "
    "applications.",
    "Require multi-factor authentication (MFA) on critical accounts.",
    "Manage user accounts with strong password policies and least-privilege rights.",
    "Monitor and review user access logs regularly.",
]
SHARED_IDENTITY: list[DutyItem] = [
    "Share with the customer the securing of the identity and directory infrastructure.",
]
CUSTOMER_DATA: list[DutyItem] = [
    "Encrypt data at rest and in transit with industry-standard algorithms.",
    "Use data loss prevention (DLP) to stop unauthorized exfiltration.",
    "Classify and label sensitive data by how critical it is.",
    "Back up data regularly and keep the backups secure.",
    "Protect your accounts: data security stays with you in every service model.",
]
CUSTOMER_APPLICATION: list[DutyItem] = [
    "Follow secure coding practices and build security testing and controls into the "
    "development pipeline (DevSecOps).",
    "Scan applications for vulnerabilities regularly and patch them promptly.",
    "Put web application firewalls (WAFs) in front of applications against common web attacks.",
]
CUSTOMER_PATCHING: list[DutyItem] = [
    "Install patches and updates for operating systems and applications without delay, so "
    "that known vulnerabilities are closed.",
]
CUSTOMER_LOGGING: list[DutyItem] = [
    "Switch on logging and monitoring for every one of your cloud resources.",
]
PROVIDER_TOOLS: list[DutyItem] = [
    "Offer security services and tools the customer can use, such as cloud SIEM, "
    "vulnerability scanning and malware detection.",
]
CUSTOMER_INCIDENT: list[DutyItem] = [
    "Write an incident response plan and test it.",
    "Train staff regularly on cybersecurity best practices.",
    "Keep up with emerging cyber threats and vulnerabilities.",
]
PROVIDER_COMPLIANCE: list[DutyItem] = [
    "Comply with industry security standards and frameworks such as SOC 2, ISO 27001 and HIPAA.",
]
CUSTOMER_COMPLIANCE: list[DutyItem] = [
    "Read the provider's responsibility matrix and SLA to learn your exact obligations, for "
    "each provider if you use several, and ask when something is unclear.",
    "Follow the provider's updates, as service changes can shift your responsibilities.",
]

PROVIDER: ProviderSpec = {
    "name": "Vendor-neutral template",
    "slug": "template",
    "website": "",
    "is_template": True,
    "summary": (
        "A generic starting point for a new provider's matrix, derived from a public "
        "explainer of the cloud shared responsibility model: what the provider and the "
        "customer each secure under IaaS, PaaS and SaaS."
    ),
    "sources": [
        {
            "title": "Shared Responsibility Model \u2013 Explained (CloudDefense.AI)",
            "url": "https://www.clouddefense.ai/shared-responsibility-model-explained/",
        },
    ],
    "parties": [
        {"name": CSP, "role": "provider"},
        {"name": CUSTOMER, "role": "customer"},
    ],
    "offerings": [
        {
            "name": "Infrastructure as a Service",
            "slug": "iaas",
            "kind": "managed",
            "service_model": "iaas",
            "description": (
                "Bare infrastructure (virtual machines, storage, networks) with the customer "
                "securing everything above it; e.g. Amazon EC2 or Microsoft Azure VM."
            ),
        },
        {
            "name": "Platform as a Service",
            "slug": "paas",
            "kind": "managed",
            "service_model": "paas",
            "description": (
                "A managed platform (runtime, libraries, operating system) on which the "
                "customer builds and secures its applications; e.g. Google App Engine or "
                "Azure App Service."
            ),
        },
        {
            "name": "Software as a Service",
            "slug": "saas",
            "kind": "managed",
            "service_model": "saas",
            "description": (
                "A finished application whose whole stack the provider secures; e.g. Gmail "
                "or Salesforce."
            ),
        },
    ],
    "domains": [
        {
            "name": "Physical and virtual infrastructure",
            "slug": "physical-and-virtual-infrastructure",
            "description": (
                "Data centres and the virtual machines, storage and hypervisors running in them."
            ),
            "category": "IVS",
            "cells": {
                "iaas": {
                    "ownership": "provider",
                    "duties": {CSP: [*PHYSICAL_AND_VIRTUAL]},
                },
                "paas": {
                    "ownership": "provider",
                    "duties": {CSP: [*PHYSICAL_AND_VIRTUAL]},
                },
                "saas": {
                    "ownership": "provider",
                    "duties": {
                        CSP: [
                            *PHYSICAL_AND_VIRTUAL,
                            "Look after uptime and system performance.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Network security and controls",
            "slug": "network-security-and-controls",
            "description": "Provider networks, traffic encryption and firewall rules.",
            "category": "IVS",
            "cells": {
                "iaas": {
                    "ownership": "shared",
                    "duties": {CSP: [*PROVIDER_NETWORK], CUSTOMER: [*CUSTOMER_NETWORK]},
                },
                "paas": {
                    "ownership": "shared",
                    "duties": {
                        CSP: [
                            *PROVIDER_NETWORK,
                            "Share the securing of network controls with the customer.",
                        ],
                        CUSTOMER: [*CUSTOMER_NETWORK],
                    },
                },
                "saas": {
                    "ownership": "provider",
                    "duties": {
                        CSP: [
                            *PROVIDER_NETWORK,
                            "Secure the network as part of the whole application stack.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Operating system and runtime",
            "slug": "operating-system-and-runtime",
            "description": "The operating system, runtime and libraries that workloads run on.",
            "category": "TVM",
            "cells": {
                "iaas": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            "Choose an operating system that meets your security needs.",
                            "Secure the operating system (patching, vulnerability management, "
                            "secure configuration), whether it is the provider's image or "
                            "your own.",
                            "Secure the runtime, deploy the workloads and configure their "
                            "security on the servers you run.",
                        ],
                    },
                },
                "paas": {
                    "ownership": "provider",
                    "duties": {
                        CSP: [
                            "Secure the runtime environments, libraries and operating systems: "
                            "apply patches, manage vulnerabilities and keep configurations "
                            "secure.",
                        ],
                    },
                },
                "saas": {
                    "ownership": "provider",
                    "duties": {
                        CSP: [
                            "Secure the operating system and runtime as part of the whole "
                            "application stack.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Application security",
            "slug": "application-security",
            "description": "Security of application code and of tools deployed in the cloud.",
            "category": "AIS",
            "cells": {
                "iaas": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            *CUSTOMER_APPLICATION,
                            "Secure any third-party tools you deploy, and their data.",
                        ],
                    },
                },
                "paas": {
                    "ownership": "shared",
                    "duties": {
                        CSP: [
                            "Secure the provider's native services and share application "
                            "security with the customer.",
                            "In serverless or event-based computing, take on part of the "
                            "responsibility and supply the security options and settings.",
                        ],
                        CUSTOMER: [
                            *CUSTOMER_APPLICATION,
                            "Secure any third-party tools you deploy, and their data.",
                            "In serverless computing, stay accountable for the code you "
                            "deploy, within the provider's security options.",
                        ],
                    },
                },
                "saas": {
                    "ownership": "provider",
                    "duties": {
                        CSP: ["Secure the application itself."],
                    },
                },
            },
        },
        {
            "name": "Identity and access management",
            "slug": "identity-and-access-management",
            "description": "Who can reach data and applications, and the directory behind it.",
            "category": "IAM",
            "cells": {
                "iaas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_IAM]},
                },
                "paas": {
                    "ownership": "shared",
                    "duties": {CSP: [*SHARED_IDENTITY], CUSTOMER: [*CUSTOMER_IAM]},
                },
                "saas": {
                    "ownership": "shared",
                    "duties": {CSP: [*SHARED_IDENTITY], CUSTOMER: [*CUSTOMER_IAM]},
                },
            },
        },
        {
            "name": "Data security",
            "slug": "data-security",
            "description": "Protection of the customer's data and accounts.",
            "category": "DSP",
            "cells": {
                "iaas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_DATA]},
                },
                "paas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_DATA]},
                },
                "saas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_DATA]},
                },
            },
        },
        {
            "name": "Security configuration, logging and monitoring",
            "slug": "security-configuration-logging-and-monitoring",
            "description": "Secure settings, timely patching and logging of cloud resources.",
            "category": "LOG",
            "cells": {
                "iaas": {
                    "ownership": "shared",
                    "duties": {
                        CSP: [*PROVIDER_TOOLS],
                        CUSTOMER: [
                            "Configure all cloud resources securely, following best "
                            "practices and vendor recommendations.",
                            *CUSTOMER_PATCHING,
                            *CUSTOMER_LOGGING,
                        ],
                    },
                },
                "paas": {
                    "ownership": "shared",
                    "duties": {
                        CSP: [*PROVIDER_TOOLS],
                        CUSTOMER: [
                            "Configure your cloud resources securely, following best "
                            "practices and vendor recommendations.",
                            *CUSTOMER_PATCHING,
                            *CUSTOMER_LOGGING,
                        ],
                    },
                },
                "saas": {
                    "ownership": "shared",
                    "duties": {
                        CSP: [
                            "Configure, patch and update the whole application stack.",
                            *PROVIDER_TOOLS,
                        ],
                        CUSTOMER: [*CUSTOMER_LOGGING],
                    },
                },
            },
        },
        {
            "name": "Incident response",
            "slug": "incident-response",
            "description": "Readiness to detect and handle security breaches.",
            "category": "SEF",
            "cells": {
                "iaas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_INCIDENT]},
                },
                "paas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_INCIDENT]},
                },
                "saas": {
                    "ownership": "customer",
                    "duties": {CUSTOMER: [*CUSTOMER_INCIDENT]},
                },
            },
        },
        {
            "name": "Compliance and certifications",
            "slug": "compliance-and-certifications",
            "description": (
                "The provider's certifications and the customer's grasp of its own obligations."
            ),
            "category": "A&A",
            "cells": {
                "iaas": {
                    "ownership": "shared",
                    "duties": {CSP: [*PROVIDER_COMPLIANCE], CUSTOMER: [*CUSTOMER_COMPLIANCE]},
                },
                "paas": {
                    "ownership": "shared",
                    "duties": {CSP: [*PROVIDER_COMPLIANCE], CUSTOMER: [*CUSTOMER_COMPLIANCE]},
                },
                "saas": {
                    "ownership": "shared",
                    "duties": {CSP: [*PROVIDER_COMPLIANCE], CUSTOMER: [*CUSTOMER_COMPLIANCE]},
                },
            },
        },
    ],
}
