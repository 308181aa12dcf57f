"""Write a self-signed development key and certificate for signing PDFs (``make run``)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def dev_pair(common_name: str = "SRM Portal development signer") -> tuple[bytes, bytes]:
    """A fresh RSA key and a self-signed certificate for it, valid for ten years (PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SRM Portal (development only)"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


class Command(BaseCommand):
    help = (
        "--dev: write a self-signed key and certificate for signing PDFs into .dev-keys/ "
        "(kept when present), which development settings use. Never for production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dev", action="store_true", help="Write the development pair.")

    def handle(self, *args, dev: bool = False, **options) -> None:
        if not dev:
            raise CommandError("Only --dev is supported: production keys come from a real CA.")
        if settings.PRODUCTION:
            raise CommandError("A self-signed development pair has no place in production.")
        folder = settings.DEV_SIGNING_DIR
        key_path, cert_path = folder / "signing-key.pem", folder / "signing-cert.pem"
        if key_path.is_file() and cert_path.is_file():
            self.stdout.write(f"Development signing pair present in {folder}/")
            return
        folder.mkdir(mode=0o700, exist_ok=True)
        key_pem, cert_pem = dev_pair()
        key_path.write_bytes(key_pem)
        key_path.chmod(0o600)
        cert_path.write_bytes(cert_pem)
        self.stdout.write(f"Wrote a self-signed development signing pair into {folder}/")
