from .certificates import Certificate, CertificateArchive
from .templates import PLACEHOLDERS, CertificateSignature, CertificateTemplate

__all__ = [
    "PLACEHOLDERS",
    "Certificate",
    "CertificateArchive",
    "CertificateSignature",
    "CertificateTemplate",
]
