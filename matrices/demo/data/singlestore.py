"""SingleStore's shared security responsibility model, as demo data.

Our own wording of the facts in SingleStore's public "Products Shared Security
Responsibility Model" (see ``sources``). The source table covers three offerings
(Self-managed, Helios, Helios BYOC) and two parties (Customer, SingleStore).
The last row (Compliance) is cut off in the source; only what it clearly says
is kept here.
"""

from __future__ import annotations

from matrices.demo.schema import NA, ProviderSpec

_GUIDANCE = (
    "Offer guidance and documentation via support cases, onboarding or the public "
    "documentation, as applicable."
)

PROVIDER: ProviderSpec = {
    "name": "SingleStore",
    "slug": "singlestore",
    "website": "https://www.singlestore.com",
    "summary": (
        "SingleStore delivers its database as self-managed software, as the SingleStore "
        "Helios cloud DBaaS and as Helios BYOC, a hybrid DBaaS model. Security is a joint "
        "duty of the customer and SingleStore, split differently for each offering."
    ),
    "sources": [
        {
            "title": "SingleStore Products Shared Security Responsibility Model",
            "url": "https://www.singlestore.com/shared-security-responsibility-model/",
        },
    ],
    "parties": [
        {"name": "Customer", "role": "customer"},
        {"name": "SingleStore", "role": "provider"},
    ],
    "offerings": [
        {
            "name": "SingleStore Self-managed",
            "slug": "self-managed",
            "kind": "self-managed",
            "service_model": "",
            "description": (
                "SingleStore software that customers deploy and operate in their own "
                "infrastructure."
            ),
        },
        {
            "name": "SingleStore Helios",
            "slug": "helios",
            "kind": "managed",
            "service_model": "",
            "description": (
                "SingleStore's cloud DBaaS, with security measures built in so customer "
                "workloads run in a protected environment."
            ),
        },
        {
            "name": "SingleStore Helios BYOC",
            "slug": "helios-byoc",
            "kind": "byoc",
            "service_model": "",
            "description": (
                "A managed experience close to Helios that runs in the customer's own cloud "
                "account, so data sovereignty stays with the customer."
            ),
        },
    ],
    "domains": [
        {
            "name": "Cloud infrastructure",
            "slug": "cloud-infrastructure",
            "description": (
                "The hosting infrastructure and cloud accounts on which SingleStore is "
                "deployed and run."
            ),
            "category": "IVS",
            "cells": {
                "self-managed": {
                    "ownership": "customer",
                    "duties": {
                        "Customer": [
                            "Take care of every aspect of the hosting infrastructure that "
                            "SingleStore is deployed and managed on.",
                        ],
                        "SingleStore": [NA],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Choose the cloud provider, the region and the cluster size.",
                        ],
                        "SingleStore": [
                            "Provision the requested clusters inside a private network.",
                            "Apply any further configuration the user specifies, where the "
                            "platform offers it.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Supply the cloud account, which must be one SingleStore supports.",
                            "Configure the account's security settings according to industry "
                            "best practices.",
                            "Control access to its resources with Identity and Access "
                            "Management (IAM) tools.",
                        ],
                        "SingleStore": [
                            "Provision the resources needed to bootstrap and run a BYOC "
                            "SingleStore Self-managed instance, and manage their lifecycle.",
                            "Not included: the VPC and the IAM role assumed for the bootstrap "
                            "and later instance updates, which the customer manages.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Customer data",
            "slug": "customer-data",
            "description": (
                "Creating, managing, storing and giving access to the data customers keep "
                "in SingleStore."
            ),
            "category": "DSP",
            "cells": {
                "self-managed": {
                    "ownership": "customer",
                    "duties": {
                        "Customer": [
                            "Create and manage the customer data.",
                            "Secure access to and storage of the data according to its own "
                            "requirements, policies and capabilities.",
                        ],
                        "SingleStore": [NA],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Create and manage the customer data.",
                        ],
                        "SingleStore": [
                            "Keep access to and storage of customer data on the platform secure.",
                            "Provide ways to reach and talk to the platform that keep customer "
                            "data in motion confidential, intact and authenticated.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Create and manage its data.",
                            "Make sure the buckets managed by SingleStore, which sit in the "
                            "customer's cloud account, are secure and cannot be reached from "
                            "unwanted sources.",
                        ],
                        "SingleStore": [
                            "Provide secure ways to reach and talk to the platform that keep "
                            "customer data in motion confidential, intact and authenticated.",
                            "Manage the cloud-hosted buckets that SingleStore pre-provisions "
                            "to hold the customer's data.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Identity management and authentication",
            "slug": "identity-management-and-authentication",
            "description": (
                "How users are identified and authenticated, and how their accounts and "
                "credentials are managed."
            ),
            "category": "IAM",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Configure and use the identity and authentication capabilities "
                            "available for SingleStore, to fit its own requirements, "
                            "policies and technology stack.",
                        ],
                        "SingleStore": [
                            "Implement and support secure, standard identity and "
                            "authentication capabilities in SingleStore as shipped (e.g. local "
                            "auth, JWT auth, SAML, Kerberos) and make them available to "
                            "customers.",
                            _GUIDANCE,
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Access its users' accounts and manage their lifecycle.",
                            "Choose and configure the platform's authentication method.",
                            "Set password policies and security measures that protect user "
                            "identities and credentials.",
                        ],
                        "SingleStore": [
                            "Offer integration with the customer's identity management "
                            "platforms (SSO).",
                            "Offer secure local identity management capabilities.",
                            "Protect access to user accounts on the platform.",
                            "Let the customer manage the lifecycle of its user accounts on the "
                            "platform.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Access its users' accounts and manage their lifecycle.",
                            "Choose and configure the platform's authentication method.",
                            "Set password policies and security measures that protect user "
                            "identities and credentials.",
                        ],
                        "SingleStore": [
                            "Offer integration with the customer's identity management "
                            "platforms (SSO).",
                            "Offer secure local identity management capabilities.",
                            "Protect access to user accounts on the platform.",
                            "Let the customer manage the lifecycle of its user accounts on the "
                            "platform.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Network isolation and connectivity",
            "slug": "network-isolation-and-connectivity",
            "description": (
                "Isolating the deployment's network and connecting the customer to the platform."
            ),
            "category": "IVS",
            "cells": {
                "self-managed": {
                    "ownership": "customer",
                    "duties": {
                        "Customer": [
                            "Take care of every aspect of the network infrastructure that "
                            "SingleStore is deployed and managed on.",
                        ],
                        "SingleStore": [NA],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set up network connectivity between the customer and the "
                            "platform, including firewall and DNS configuration, PrivateLink, "
                            "VPC and IP allowlisting.",
                        ],
                        "SingleStore": [
                            "Enforce network security restrictions according to the "
                            "customer's configuration.",
                            "Allocate the resources needed to establish a PrivateLink connection.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set up the VPC in which the BYOC Data Plane is deployed, "
                            "following SingleStore's requirements and guidelines.",
                            "Manage that VPC so it stays in line with the initial guidelines "
                            "and requirements.",
                        ],
                        "SingleStore": [
                            "Provide guidelines plus hardened configurations for the network and "
                            "resources.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Access control",
            "slug": "access-control",
            "description": (
                "Authorization: the roles, privileges and mechanisms that limit what each "
                "user can reach."
            ),
            "category": "IAM",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Configure and use the access control capabilities available for "
                            "SingleStore, to fit its own requirements, policies and technology "
                            "stack.",
                        ],
                        "SingleStore": [
                            "Implement and support access control capabilities in SingleStore "
                            "as shipped (e.g. RBAC, RLS) and make them available to customers.",
                            _GUIDANCE,
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set up the platform's access control scheme and grant roles and "
                            "privileges.",
                            "Manage the SSL/TLS certificates and JWKS setups of the clusters.",
                        ],
                        "SingleStore": [
                            "Include Role-Based Access Control (RBAC) in the platform.",
                            "Support secure token-based authentication and authorization on "
                            "the clusters.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set up the platform's access control scheme and grant roles and "
                            "privileges.",
                        ],
                        "SingleStore": [
                            "Include Role-Based Access Control (RBAC) in the platform.",
                        ],
                    },
                },
            },
        },
        {
            "name": "(Management) API controls and access",
            "slug": "management-api-controls-and-access",
            "description": (
                "Access to the management API and protection of the API keys used to call it."
            ),
            "category": "AIS",
            "cells": {
                "self-managed": {
                    "ownership": "n/a",
                    "duties": {
                        "Customer": [NA],
                        "SingleStore": [NA],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Request API keys and manage their lifecycle securely, according "
                            "to its own requirements.",
                        ],
                        "SingleStore": [
                            "Generate API keys that are secure.",
                            "Use cryptographically strong algorithms.",
                            "Implement API access securely.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "n/a",
                    "duties": {
                        "Customer": [{"text": "Currently not supported.", "na": True}],
                        "SingleStore": [{"text": "Currently not supported.", "na": True}],
                    },
                },
            },
        },
        {
            "name": "Security for data in motion",
            "slug": "security-for-data-in-motion",
            "description": (
                "Protecting data in transit with secure protocols, algorithms, certificates "
                "and keys."
            ),
            "category": "CEK",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Configure and harden SingleStore's secure communication settings.",
                            "Manage the lifecycle of all secret material (keys, certificates "
                            "and the like) used to encrypt or authenticate data in motion.",
                        ],
                        "SingleStore": [
                            "Build industry-standard secure communication capabilities into "
                            "SingleStore.",
                            _GUIDANCE,
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Require SSL/TLS for connections to the cluster.",
                            "Make sure clients connecting to the platform and the clusters are "
                            "configured securely.",
                        ],
                        "SingleStore": [
                            "Protect traffic to the platform with industry-standard secure "
                            "protocols and algorithms.",
                            "Protect traffic to the clusters with industry-standard secure "
                            "protocols and algorithms.",
                            "Manage the platform's certificates and keys securely.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Own every aspect of access to data in motion, such as setting up "
                            "secure connections to the cluster and keeping client "
                            "configurations secure.",
                        ],
                        "SingleStore": [
                            "Use self-signed SSL/TLS certificates.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Encryption for data at rest",
            "slug": "encryption-for-data-at-rest",
            "description": (
                "Encrypting stored data and managing the keys that protect it, including "
                "customer-managed keys (CMEK)."
            ),
            "category": "CEK",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Configure and harden SingleStore's settings to whatever degree its "
                            "own requirements, policies and technology stack call for.",
                            "Manage the lifecycle of all secret material used for encryption "
                            "at rest.",
                        ],
                        "SingleStore": [
                            "Make industry-standard encryption-at-rest capabilities available "
                            "in SingleStore.",
                            _GUIDANCE,
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "For CMEK: set up the cloud provider's KMS and key policy to suit "
                            "its own requirements, then configure CMEK on SingleStore Helios.",
                        ],
                        "SingleStore": [
                            "Encrypt data at rest by default with keys managed by the cloud "
                            "provider.",
                            "For CMEK: connect to the KMS the customer names and use its keys "
                            "for encryption at rest.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "For CMEK: set up the cloud provider's KMS and key policy to suit "
                            "its own requirements, then configure CMEK manually on SingleStore "
                            "Helios BYOC.",
                        ],
                        "SingleStore": [
                            "Encrypt data at rest by default with keys managed by the cloud "
                            "provider.",
                            "For CMEK: connect to the KMS the customer names and use its keys "
                            "to encrypt the data encryption key at rest.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Audit logging and monitoring",
            "slug": "audit-logging-and-monitoring",
            "description": (
                "Recording, shipping and reviewing audit logs of activity on the database and "
                "the platform."
            ),
            "category": "LOG",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Configure and harden SingleStore's settings to whatever degree its "
                            "own requirements, policies and technology stack call for.",
                            "Watch the audit logs of its SingleStore deployments.",
                        ],
                        "SingleStore": [
                            "Make industry-standard logging and auditing capabilities "
                            "available in SingleStore.",
                            _GUIDANCE,
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set the audit levels and the destinations of audit logs.",
                            "Watch the audit logs of its cluster(s).",
                        ],
                        "SingleStore": [
                            "Stream audit logs to external resources as the customer configures.",
                            "Turn on audit logging for the database automatically.",
                            "Watch the platform's audit logs.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set the audit levels and the destinations of audit logs.",
                            "Watch the audit logs of its cluster(s).",
                            "Watch and manage the audit logs of data plane updates triggered "
                            "by SingleStore and of break-glass interventions.",
                        ],
                        "SingleStore": [
                            "Send the logs of running applications to external data sources so "
                            "the data plane instance can be monitored.",
                            "Turn on audit logging automatically for bootstrap and maintenance "
                            "operations on the data cell.",
                            "Set up internal and customer-facing metrics and send them to an "
                            "outside data source for watching the plane instance; provide the "
                            "customer with dashboards.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Performance monitoring and alerting",
            "slug": "performance-monitoring-and-alerting",
            "description": (
                "Tracking the performance of the database and its infrastructure and raising "
                "alerts."
            ),
            "category": "LOG",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Take care of every aspect of performance monitoring for "
                            "SingleStore and for the infrastructure it is deployed and managed "
                            "on.",
                        ],
                        "SingleStore": [
                            "Build performance monitoring and management capabilities into "
                            "SingleStore.",
                            "Give advice on improving and tuning performance in support cases "
                            "and during product onboarding.",
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set up real-time alerts and performance thresholds.",
                            "Set up external monitoring and alerting tools.",
                            "Use the Grafana dashboards to reach customer metrics and logs.",
                        ],
                        "SingleStore": [
                            "Set up performance captures and monitoring capabilities.",
                            "Watch the platform's performance logs and alerts.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Set up real-time alerts by running its own SMTP (Mailgun) service "
                            "and registering the BYOC cell's monitoring infrastructure with it.",
                            "Use the Grafana dashboards to reach customer metrics and logs.",
                        ],
                        "SingleStore": [
                            "Set up performance captures and monitoring capabilities.",
                            "Watch the platform's performance logs and alerts.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Patching and maintenance",
            "slug": "patching-and-maintenance",
            "description": (
                "Keeping software and infrastructure current with security patches, and "
                "managing vulnerabilities."
            ),
            "category": "TVM",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Follow SingleStore's patch and update releases and install them "
                            "as soon as they are released.",
                        ],
                        "SingleStore": [
                            "Ship security patches and updates.",
                            "Operate internal processes for handling vulnerabilities and patches.",
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Keep the client software used with the platform and the clusters "
                            "up to date and patched.",
                        ],
                        "SingleStore": [
                            "Install security patches and updates automatically.",
                            "Operate internal processes for handling vulnerabilities and patches.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Keep the client software used with the platform and the clusters "
                            "up to date and patched.",
                            "Keep the cloud account that hosts BYOC aligned with current best "
                            "practices for security and configuration.",
                        ],
                        "SingleStore": [
                            "Install security patches and updates on the infrastructure and "
                            "resources SingleStore manages.",
                            "Operate internal processes for handling vulnerabilities and patches "
                            "on the infrastructure and resources SingleStore manages.",
                        ],
                    },
                },
            },
        },
        {
            "name": "High availability and disaster recovery",
            "slug": "high-availability-and-disaster-recovery",
            "description": (
                "Backups, failover and replication that keep the service available and recoverable."
            ),
            "category": "BCR",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Take care of every aspect of the SingleStore deployment and of "
                            "the controls needed to make it highly available.",
                        ],
                        "SingleStore": [
                            "Advise on making a SingleStore deployment more resilient and "
                            "highly available, and on its disaster recovery capabilities.",
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Optionally create and manage its own custom backups, following "
                            "its own plans and policies for backup, business continuity and/or "
                            "disaster recovery.",
                            "Set up the backup and recovery features and provisions to the "
                            "extent the platform offers them.",
                        ],
                        "SingleStore": [
                            "Take automated backups kept for an unexpected disaster; they are "
                            "restored on request to Support.",
                            "Implement automated failover and replication mechanisms, where "
                            "the customer configures them.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Optionally create and manage its own custom backups, following "
                            "its own plans and policies for backup, business continuity and/or "
                            "disaster recovery.",
                            "Set up the backup and recovery features and provisions to the "
                            "extent the platform offers them.",
                        ],
                        "SingleStore": [
                            "Take automated backups kept for an unexpected disaster (Enterprise "
                            "and Premium plans only); they are restored on request to Support.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Application security",
            "slug": "application-security",
            "description": (
                "Security of the software, custom code, integrations and the environment the "
                "database runs in."
            ),
            "category": "AIS",
            "cells": {
                "self-managed": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Keep the operating and computing environment that hosts "
                            "SingleStore secure.",
                            "Validate code that interfaces with external functions or creates "
                            "user-defined functions (UDFs), and check it for security issues.",
                            "Verify that any third-party services SingleStore is meant to use "
                            "through integrations are trustworthy and secure.",
                        ],
                        "SingleStore": [
                            "Build the software on security engineering principles and test it "
                            "for security weaknesses on a regular basis.",
                            "Detect and respond to incidents with internal mechanisms.",
                            "Verify that the software supply chain behind its CI/CD procedures "
                            "and tooling is secure.",
                        ],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Validate code that interfaces with external functions or creates "
                            "user-defined functions (UDFs), and check it for security issues.",
                            "Verify that any third-party services meant to be used on Helios "
                            "computing capabilities or through integrations are trustworthy "
                            "and secure.",
                            "Secure system access for users both inside and outside the "
                            "customer's environment.",
                        ],
                        "SingleStore": [
                            "Keep the operating and computing environment secure.",
                            "Detect and respond to incidents with internal mechanisms.",
                            "Control inbound and outbound traffic at the network layer, and "
                            "govern access to data.",
                            "Build the platform's software and infrastructure on security "
                            "engineering principles and test them for security weaknesses on "
                            "a regular basis.",
                            "Verify that the software supply chain behind its CI/CD procedures "
                            "and tooling is secure.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Validate code that interfaces with external functions or creates "
                            "user-defined functions (UDFs), and check it for security issues.",
                            "Verify that any third-party services meant to be used on Helios "
                            "computing capabilities or through integrations are trustworthy "
                            "and secure.",
                            "Secure system access for users both inside and outside the "
                            "customer's environment.",
                        ],
                        "SingleStore": [
                            "Work on the assumption that everything is private: never expose "
                            "public IPs or ports.",
                            "Detect incidents through internal alerts or customer support "
                            "tickets. SingleStore resolves simple infrastructure "
                            "troubleshooting and updates itself, and works with the customer, "
                            "in a supporting role, where elevated permissions to the cloud "
                            "environment are needed.",
                            "Do no network management; work at a level where the only load "
                            "balancers that can be created are private ones.",
                            "Verify that the software supply chain behind its CI/CD procedures "
                            "and tooling is secure.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Secrets management",
            "slug": "secrets-management",
            "description": (
                "Storing, protecting, distributing and rotating secrets such as credentials "
                "and keys."
            ),
            "category": "CEK",
            "cells": {
                "self-managed": {
                    "ownership": "customer",
                    "duties": {
                        "Customer": [
                            "Take care of every aspect of secrets management for SingleStore.",
                        ],
                        "SingleStore": [NA],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Control access to the secrets configured in the platform properly.",
                            "Manage the lifecycle of secrets according to its own policies.",
                        ],
                        "SingleStore": [
                            "Store customer secrets securely and encrypt them.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "customer",
                    "duties": {
                        "Customer": [
                            "Control access to the secrets configured in the platform properly.",
                            "Manage the lifecycle and distribution of secrets end to end.",
                        ],
                        "SingleStore": [
                            "Keep no access to any of the customer's BYOC secrets.",
                        ],
                    },
                },
            },
        },
        {
            "name": "Compliance",
            "slug": "compliance",
            "description": (
                "Meeting the security, data protection and other compliance requirements that "
                "apply to each party."
            ),
            "category": "GRC",
            "cells": {
                "self-managed": {
                    "ownership": "customer",
                    "duties": {
                        "Customer": [
                            "Take care of every aspect of its own compliance obligations.",
                        ],
                        "SingleStore": [NA],
                    },
                },
                "helios": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "Configure its environment(s) so they meet the requirements that "
                            "apply to the customer.",
                        ],
                        "SingleStore": [
                            "Remain compliant and adhere to the standards and requirements for "
                            "information security and data protection.",
                        ],
                    },
                },
                "helios-byoc": {
                    "ownership": "shared",
                    "duties": {
                        "Customer": [
                            "The same duties as in SingleStore Helios apply.",
                            "Note that in Helios BYOC data sovereignty lies with the customer.",
                        ],
                        "SingleStore": [
                            "The same duties as in SingleStore Helios apply.",
                        ],
                    },
                },
            },
        },
    ],
}
