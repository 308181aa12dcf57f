"""A small OpenID Connect identity provider (django-oauth-toolkit) for the SSO tests.

It runs in its own process (``tests.servers.oidc_provider``), with its own SQLite
database, RSA key and people in a temporary folder; it is not part of the portal.
"""
