"""Audit action names of the certificates app."""

CERTIFICATE_APPLIED = "certificate.applied"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
CERTIFICATE_TYPE_SAVED = "certificate.type_saved"
