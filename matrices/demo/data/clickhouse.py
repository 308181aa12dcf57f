"""ClickHouse Cloud: security shared responsibility model, with the CMEK details.

Our own wording of the facts in ClickHouse's public documents (see ``sources``).
Three parties: the cloud service provider, ClickHouse and the customer; the
customer's duties are split between the Cloud Console and each database service.
"""

from matrices.demo.schema import ProviderSpec

DOCS = "https://clickhouse.com/docs/en"
CMEK = f"{DOCS}/cloud/security/cmek"
SUPPORT = f"{DOCS}/cloud/support"

CSP = "Cloud service provider (AWS, GCP, Azure)"
CLICKHOUSE = "ClickHouse"
CUSTOMER = "Customer"

CONSOLE = "Cloud Console"
DATABASE = "Database service"
AWS_ACCOUNT = "AWS account"  # the customer's own AWS account, where the CMEK key lives

CLICKHOUSE_KMS_ROLE = "arn:aws:iam::576599896960:role/prod-kms-request-role"
TERRAFORM_KMS_KEY = (
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key"
)

PROVIDER: ProviderSpec = {
    "name": "ClickHouse Cloud",
    "slug": "clickhouse",
    "website": "https://clickhouse.com",
    "summary": (
        "ClickHouse Cloud relies on its cloud service providers for physical and "
        "infrastructure security, secures and operates the service itself, and gives "
        "customers security settings in the Cloud Console and in each database service. "
        "Customers should agree with their own security and compliance teams on the "
        "combination of those settings that suits them."
    ),
    "sources": [
        {
            "title": "ClickHouse Cloud: Security Shared Responsibility Model",
            "url": "https://clickhouse.com/docs/en/cloud/security/shared-responsibility-model",
        },
        {
            "title": "ClickHouse Cloud: Customer Managed Encryption Keys (CMEK)",
            "url": "https://clickhouse.com/docs/en/cloud/security/cmek",
        },
    ],
    "parties": [
        {"name": CSP, "role": "cloud-provider"},
        {"name": CLICKHOUSE, "role": "provider"},
        {"name": CUSTOMER, "role": "customer"},
    ],
    "offerings": [
        {
            "name": "ClickHouse Cloud",
            "slug": "cloud",
            "kind": "managed",
            "service_model": "",
            "description": (
                "ClickHouse's managed database service, run by ClickHouse on AWS, GCP or Azure."
            ),
        },
    ],
    "domains": [
        {
            "name": "Physical and environmental security",
            "slug": "physical-and-environmental-security",
            "description": "Physical and environmental protection of the hosting data centres.",
            "category": "DCS",
            "cells": {
                "cloud": {
                    "ownership": "third-party",
                    "duties": {
                        CSP: [
                            "Provide, configure and review the physical security and "
                            "environmental controls of the environments hosting the service.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Infrastructure security",
            "slug": "infrastructure-security",
            "description": (
                "Security of the compute, storage and network resources, operating "
                "systems and firewalls beneath the service."
            ),
            "category": "IVS",
            "cells": {
                "cloud": {
                    "ownership": "shared-third-party",
                    "duties": {
                        CSP: [
                            "Secure the compute, storage and network resources ClickHouse "
                            "uses to run the service.",
                        ],
                        CLICKHOUSE: [
                            "On top of the CSP's security layers, securely configure and "
                            "monitor the operating systems, network resources and firewalls "
                            "behind the service.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Identity and access management",
            "slug": "identity-and-access-management",
            "description": (
                "Who can sign in to the Cloud Console and the databases, and with which rights."
            ),
            "category": "IAM",
            "cells": {
                "cloud": {
                    "ownership": "shared",
                    "duties": {
                        CLICKHOUSE: [
                            "Manage infrastructure and application identity and access for "
                            "ClickHouse's internal users.",
                        ],
                        CUSTOMER: [
                            {
                                "text": (
                                    "Choose strong passwords when signing in with [email and "
                                    f"password]({DOCS}/cloud/security/cloud-authentication"
                                    "#email--password)."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Optionally set up [multi-factor authentication (MFA)]"
                                    f"({DOCS}/cloud/security/cloud-authentication"
                                    "#multi-factor-authhentication) for email and password "
                                    "users."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Optionally sign in through [single sign-on (SSO)]"
                                    f"({DOCS}/cloud/security/cloud-authentication"
                                    "#sso-using-google-or-microsoft-social-authentication) "
                                    "with Google Workspace or Microsoft 365."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Assign console users the [standard role-based access]"
                                    f"({DOCS}/cloud/security/cloud-access-management"
                                    "#console-roles) that is available."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Console users can reach services from the SQL console "
                                    "with [passwordless access]"
                                    f"({DOCS}/cloud/security/cloud-access-management"
                                    "#more-on-passwordless-authentication)."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Set up fine-grained [role-based access control]"
                                    f"({DOCS}/cloud/security/cloud-access-management"
                                    "#database-roles) inside the database."
                                ),
                                "scope": DATABASE,
                            },
                            {
                                "text": (
                                    "[Create database users with a sha256_hash]"
                                    f"({DOCS}/cloud/security/cloud-authentication"
                                    "#database-user-id--password) so that no plain-text "
                                    "password has to be shared."
                                ),
                                "scope": DATABASE,
                            },
                            {
                                "text": (
                                    "[Review access]"
                                    f"({DOCS}/cloud/security/cloud-access-management"
                                    "#creating-sql-console-roles) at regular intervals."
                                ),
                                "scope": DATABASE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Security logging",
            "slug": "security-logging",
            "description": "Review of the activity records kept by the console and the databases.",
            "category": "LOG",
            "cells": {
                "cloud": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            {
                                "text": (
                                    "Review the [audit log]"
                                    f"({DOCS}/cloud/security/audit-logging), which records "
                                    "console activity."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Review the [session]"
                                    f"({DOCS}/operations/system-tables/session_log) and "
                                    f"[query logs]({DOCS}/operations/system-tables/query_log) "
                                    "that each database records."
                                ),
                                "scope": DATABASE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Geographic control",
            "slug": "geographic-control",
            "description": "Where each service, and so its data, is hosted.",
            "category": "DSP",
            "cells": {
                "cloud": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            {
                                "text": (
                                    "Pick the [cloud provider and region]"
                                    f"({DOCS}/cloud/reference/supported-regions) "
                                    "for each service."
                                ),
                                "scope": CONSOLE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Network control",
            "slug": "network-control",
            "description": "Which networks may connect to the database services.",
            "category": "IVS",
            "cells": {
                "cloud": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            {
                                "text": (
                                    f"Set up [IP filters]({DOCS}/cloud/security/"
                                    "setting-ip-filters) to limit who can connect to the "
                                    "databases."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    f"Set up [private link]({DOCS}/cloud/security/"
                                    "private-link-overview) with your cloud provider."
                                ),
                                "scope": CONSOLE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Encryption in transit",
            "slug": "encryption-in-transit",
            "description": "Protection of data while it moves to, from and within the service.",
            "category": "CEK",
            "cells": {
                "cloud": {
                    "ownership": "provider",
                    "duties": {
                        CLICKHOUSE: [
                            "Configure ClickHouse's systems to encrypt data in transit.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Encryption at rest",
            "slug": "encryption-at-rest",
            "description": (
                "Transparent encryption of stored data, optionally under the customer's "
                "own KMS key (CMEK)."
            ),
            "category": "CEK",
            "cells": {
                "cloud": {
                    "ownership": "shared",
                    "duties": {
                        CLICKHOUSE: [
                            "Configure ClickHouse's systems to encrypt data at rest.",
                            "With CMEK, encrypt the service's data through the built-in "
                            "[encrypted virtual file system]"
                            f"({DOCS}/operations/storing-data#encrypted-virtual-file-system) "
                            "and wrap its data encryption key with the customer's KMS key "
                            "([envelope encryption](https://docs.aws.amazon.com/wellarchitected/"
                            "latest/financial-services-industry-lens/"
                            "use-envelope-encryption-with-customer-master-keys.html)).",
                            "With CMEK, the service needs the KMS key at runtime only to "
                            "decrypt and encrypt the data encryption key.",
                            "Support [AWS Key Management Service](https://aws.amazon.com/kms) "
                            "for services on AWS today; [Azure Key Vault]"
                            "(https://azure.microsoft.com/en-us/products/key-vault) (Azure), "
                            "[GCP Cloud Key Management]"
                            "(https://cloud.google.com/security-key-management) (GCP) and "
                            "[HashiCorp Vault](https://www.hashicorp.com/products/vault) "
                            "(AWS, Azure, GCP) are announced as coming soon.",
                            "With CMEK on AWS, offer a CloudFormation stack that sets up the "
                            "key policy, either for KMS keys the customer already has or "
                            "together with a newly created key.",
                            "When a CMEK service is created, check that the customer's key "
                            "can be reached before the service may be created, and show a key "
                            "icon on the tile of each encrypted service.",
                            "With CMEK, encrypt each backup with its service's KMS key; "
                            "restoring an encrypted backup gives an encrypted service on the "
                            "same KMS key.",
                            "Check access to the KMS key every 10 minutes and stop the service "
                            "once that access is no longer valid.",
                            "On request, rotate to a new key from the same KMS provider by "
                            "re-encrypting the data encryption key, at once and with no "
                            "downtime.",
                            "With CMEK, the encrypted virtual file system uses AES-256-CTR, "
                            "which is expected to cost 5-15% in performance depending on the "
                            "workload.",
                        ],
                        CUSTOMER: [
                            {
                                "text": (
                                    "Optionally protect the service with your own KMS key: "
                                    f"[customer managed encryption keys (CMEK)]({CMEK})."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "CMEK is only for Production services and must be chosen "
                                    "when the service is created; contact "
                                    f"[support]({SUPPORT}) to enable it."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "An existing service cannot switch to CMEK; instead, ask "
                                    f"[support]({SUPPORT}) to restore a non-encrypted backup "
                                    "into a new service that uses your key."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "In AWS KMS, create a customer managed key of the "
                                    "symmetric type whose usage is encrypt and decrypt, or "
                                    "use a KMS key you already have "
                                    f"([CMEK setup]({CMEK}))."
                                ),
                                "advanced": True,
                                "scope": AWS_ACCOUNT,
                            },
                            {
                                "text": (
                                    "Extend the key policy with a statement that lets "
                                    f"ClickHouse's role (`{CLICKHOUSE_KMS_ROLE}`) call "
                                    "kms:GetPublicKey, kms:Decrypt, kms:GenerateDataKeyPair, "
                                    "kms:Encrypt, kms:GetKeyRotationStatus, "
                                    "kms:GenerateDataKey and kms:DescribeKey, then copy the "
                                    "key's ARN."
                                ),
                                "advanced": True,
                                "scope": AWS_ACCOUNT,
                            },
                            {
                                "text": (
                                    "Alternatively, launch ClickHouse's CloudFormation "
                                    "quick-create stack and accept that it may create IAM "
                                    "resources with custom names. For keys you already have, "
                                    "enter their ARNs (separated by commas, no spaces) and "
                                    "take the RoleArn and KeyArn from the stack outputs; to "
                                    "have the stack create a new key, take the KeyArn from "
                                    "its outputs."
                                ),
                                "advanced": True,
                                "scope": AWS_ACCOUNT,
                            },
                            {
                                "text": (
                                    "Alternatively, create the key with Terraform, using the "
                                    f"AWS provider's [kms_key resource]({TERRAFORM_KMS_KEY})."
                                ),
                                "advanced": True,
                                "scope": AWS_ACCOUNT,
                            },
                            {
                                "text": (
                                    "In the console, create a New Service with its cloud "
                                    "provider, region and name, choose Set up encryption key "
                                    "(CMEK) and paste the key's ARN; ClickHouse checks that "
                                    "the key is reachable, and only once it reports Valid do "
                                    "you click Create Service."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Keep ClickHouse's access to the key; if it is lost and "
                                    "the service stops, reinstate access and then start the "
                                    f"service again ([KMS key poller]({CMEK}))."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Deleting the key stops the service for good: neither its "
                                    "data nor its backups can be recovered. Most KMS providers "
                                    "do not delete a key at once but schedule its deletion; "
                                    "your provider's documentation or "
                                    f"[support]({SUPPORT}) can explain that process."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "To rotate the key, keep access to both the current and "
                                    "the new KMS key and send the key details to "
                                    f"[support]({SUPPORT})."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Backups",
            "slug": "backups",
            "description": "Backup copies of each service and how they are scheduled.",
            "category": "BCR",
            "cells": {
                "cloud": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            {
                                "text": (
                                    "Note that only a limited number of [free daily backups]"
                                    f"({DOCS}/cloud/manage/backups#default-backup-policy) "
                                    "are included."
                                ),
                                "scope": CONSOLE,
                            },
                            {
                                "text": (
                                    "Optionally set up [custom backup configurations]"
                                    f"({DOCS}/cloud/manage/backups#configurable-backups)."
                                ),
                                "advanced": True,
                                "scope": CONSOLE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Data retention",
            "slug": "data-retention",
            "description": "How long data is kept in the databases and how it is removed.",
            "category": "DSP",
            "cells": {
                "cloud": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            {
                                "text": (
                                    "Manage retention periods with [time to live (TTL)]"
                                    f"({DOCS}/sql-reference/statements/alter/ttl) settings."
                                ),
                                "scope": DATABASE,
                            },
                            {
                                "text": (
                                    "Remove data when needed with [ALTER TABLE DELETE]"
                                    f"({DOCS}/sql-reference/statements/alter/delete) or "
                                    "[lightweight DELETE]"
                                    f"({DOCS}/sql-reference/statements/delete)."
                                ),
                                "scope": DATABASE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Field-level encryption",
            "slug": "field-level-encryption",
            "description": "Encryption of individual columns or values inside the database.",
            "category": "CEK",
            "cells": {
                "cloud": {
                    "ownership": "customer",
                    "duties": {
                        CUSTOMER: [
                            {
                                "text": (
                                    "Optionally apply [field-level encryption]"
                                    f"({DOCS}/sql-reference/functions/encryption-functions) "
                                    "and manage its keys by hand."
                                ),
                                "advanced": True,
                                "scope": DATABASE,
                            },
                        ],
                    },
                },
            },
        },
        {
            "name": "Security operations and incident response",
            "slug": "security-operations-and-incident-response",
            "description": (
                "Ongoing monitoring of the service for threats and the handling of "
                "security incidents and vulnerability reports."
            ),
            "category": "SEF",
            "cells": {
                "cloud": {
                    "ownership": "provider",
                    "duties": {
                        CLICKHOUSE: [
                            "Keep a dedicated team of security experts.",
                            "Configure security settings, review alerts and respond to "
                            "security incidents.",
                            "Watch for vulnerabilities, misconfigurations and threats with "
                            "industry-leading tools.",
                            "Maintain incident response playbooks and rehearse them.",
                            "Accept vulnerability reports through the responsible disclosure "
                            "steps in the [Security Policy]"
                            "(https://github.com/ClickHouse/ClickHouse/security/policy).",
                        ],
                    },
                },
            },
        },
        {
            "name": "Secure development",
            "slug": "secure-development",
            "description": "Security checks built into ClickHouse's engineering work.",
            "category": "AIS",
            "cells": {
                "cloud": {
                    "ownership": "provider",
                    "duties": {
                        CLICKHOUSE: [
                            "Scan ClickHouse's own code with static analysis and third-party "
                            "libraries with software composition analysis to find "
                            "vulnerabilities.",
                            "Run automated fuzzing to catch unexpected issues.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Third-party assessments and compliance",
            "slug": "third-party-assessments-and-compliance",
            "description": (
                "Independent testing and audits of the service, and ClickHouse's compliance "
                "certifications."
            ),
            "category": "A&A",
            "cells": {
                "cloud": {
                    "ownership": "provider",
                    "duties": {
                        CLICKHOUSE: [
                            "Have independent experts run penetration tests and internal and "
                            "external audits of the services.",
                            "Maintain SOC 2 Type II and ISO 27001 compliance.",
                            "Help customers demonstrate compliance for their cloud workloads: "
                            "copies of the SOC 2 Type II and ISO 27001 reports can be requested "
                            "through the [Trust Center](https://trust.clickhouse.com).",
                        ],
                    },
                },
            },
        },
    ],
}
