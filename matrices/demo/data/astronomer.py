"""Astronomer Astro: shared responsibility model.

Our own wording of the facts in Astronomer's public document (see ``sources``).
Three parties: Astronomer, the customer and the cloud providers underneath Astro.
"""

from matrices.demo.schema import ProviderSpec

DOCS = "https://www.astronomer.io/docs/astro"

ASTRONOMER = "Astronomer"
CUSTOMER = "Customer"
CLOUD = "Cloud provider (AWS, Azure, GCP)"

PROVIDER: ProviderSpec = {
    "name": "Astronomer Astro",
    "slug": "astronomer",
    "website": "https://www.astronomer.io",
    "summary": (
        "Astro is a fully managed data orchestration platform whose security is shared: "
        "Astronomer runs and secures the control and data planes, customers secure their "
        "Organization, Deployments and pipelines, and the cloud providers handle physical "
        "and environmental security."
    ),
    "sources": [
        {
            "title": "Astro: Shared responsibility model",
            "url": "https://www.astronomer.io/docs/astro/shared-responsibility-model",
        },
    ],
    "parties": [
        {"name": ASTRONOMER, "role": "provider"},
        {"name": CUSTOMER, "role": "customer"},
        {"name": CLOUD, "role": "cloud-provider"},
    ],
    "offerings": [
        {
            "name": "Astro",
            "slug": "astro",
            "kind": "managed",
            "service_model": "",
            "description": (
                "Astronomer's fully managed data orchestration platform, with a control "
                "plane and a data plane run by Astronomer."
            ),
        },
    ],
    "domains": [
        {
            "name": "Control plane and core services",
            "slug": "control-plane-and-core-services",
            "description": "Operation of Astro's control plane and the core services built on it.",
            "category": "IVS",
            "cells": {
                "astro": {
                    "ownership": "provider",
                    "duties": {
                        ASTRONOMER: [
                            "Run the control plane and the core services: Cloud UI, Cloud API, "
                            "Deployment Access and the Cloud image Repository.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Identity and access management",
            "slug": "identity-and-access-management",
            "description": "Sign-in to Astro's interfaces and the rights of users and API keys.",
            "category": "IAM",
            "cells": {
                "astro": {
                    "ownership": "shared",
                    "duties": {
                        ASTRONOMER: [
                            "Secure authentication and authorization on every interface: UI, "
                            "API and CLI.",
                        ],
                        CUSTOMER: [
                            "Manage the roles and permissions of users and API keys in the "
                            "Organization and its Workspaces.",
                            "Connect your federated identity management platform for secure "
                            "single sign-on (SSO) with multi-factor authentication (MFA) and "
                            "credentials you manage.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Secrets and configuration",
            "slug": "secrets-and-configuration",
            "description": "Credentials and settings that data pipelines read at run time.",
            "category": "IAM",
            "cells": {
                "astro": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            f"Store and retrieve the [API keys]({DOCS}/api-keys), connections "
                            "and [environment variables]"
                            "(https://docs.astronomer.io/astro/category/environment-variables) "
                            "your data pipelines use.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Data plane provisioning and configuration",
            "slug": "data-plane-provisioning-and-configuration",
            "description": "Provisioning, scaling and settings of the resources running pipelines.",
            "category": "IVS",
            "cells": {
                "astro": {
                    "ownership": "shared",
                    "duties": {
                        ASTRONOMER: [
                            "Automate provisioning, scaling and configuration management of "
                            "Astro resources in the data plane.",
                        ],
                        CUSTOMER: [
                            "[Configure and manage the Deployment resource settings]"
                            f"({DOCS}/deployment-settings) for your pipeline workloads.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Maintenance and patching",
            "slug": "maintenance-and-patching",
            "description": (
                "Keeping data-plane resources and Astro Runtime current, hardened, patched "
                "and monitored."
            ),
            "category": "TVM",
            "cells": {
                "astro": {
                    "ownership": "shared",
                    "duties": {
                        ASTRONOMER: [
                            "Keep Astro resources in the data plane current, hardened and "
                            "patched, and monitor their uptime (for example, Kubernetes "
                            "cluster upgrades).",
                            "Release production-ready, supported distributions of "
                            f"[Astro Runtime]({DOCS}/upgrade-runtime) on a steady basis for new "
                            "Deployments and Deployments due for upgrade.",
                        ],
                        CUSTOMER: [
                            f"[Upgrade your Deployments]({DOCS}/upgrade-runtime) to the latest "
                            "Astro Runtime regularly to get new features and bug and security "
                            "fixes.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Encryption",
            "slug": "encryption",
            "description": "Encryption of data handled by Astro's managed components.",
            "category": "CEK",
            "cells": {
                "astro": {
                    "ownership": "provider",
                    "duties": {
                        ASTRONOMER: [
                            "Keep data encrypted at rest and in flight across Astro-managed "
                            "components in both the control and data planes.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Pipeline code security",
            "slug": "pipeline-code-security",
            "description": "Security and quality of the data pipelines customers write.",
            "category": "AIS",
            "cells": {
                "astro": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            "Build and maintain data pipelines following security and "
                            "quality coding best practices, including vulnerability "
                            "management of plugins and dependencies.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Network security",
            "slug": "network-security",
            "description": "Connections between the data plane and the customer's data resources.",
            "category": "IVS",
            "cells": {
                "astro": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            "[Secure the network communications]"
                            "(https://docs.astronomer.io/astro/category/"
                            "connect-to-external-resources) between your data plane and "
                            "sensitive data resources.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Physical and environmental security",
            "slug": "physical-and-environmental-security",
            "description": "Physical and environmental protection of the cloud data centres.",
            "category": "DCS",
            "cells": {
                "astro": {
                    "ownership": "third-party",
                    "duties": {
                        CLOUD: [
                            "Handle physical and environmental security entirely.",
                            "Be rigorously tested against a broad set of compliance and "
                            "regulatory assurances, including SOC 1/2/3, PCI-DSS and "
                            "ISO 27001.",
                            "Azure: [compliance]"
                            "(https://azure.microsoft.com/en-ca/overview/trusted-cloud/"
                            "compliance/), [security]"
                            "(https://azure.microsoft.com/en-ca/overview/security/) and "
                            "[data centre security]"
                            "(https://azure.microsoft.com/en-ca/global-infrastructure/).",
                            "AWS: [compliance](https://aws.amazon.com/compliance/), "
                            "[security](https://aws.amazon.com/security/) and "
                            "[data centre security]"
                            "(https://aws.amazon.com/compliance/data-center/controls/).",
                            "GCP: [compliance](https://cloud.google.com/security/compliance), "
                            "[security](https://cloud.google.com/security) and "
                            "[data centre security]"
                            "(https://cloud.google.com/security/infrastructure).",
                        ],
                    },
                },
            },
        },
    ],
}
