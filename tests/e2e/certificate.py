"""Reading a downloaded certificate as its holder would: its text, and its QR code scanned."""

import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path) -> str:
    reader = PdfReader(path)
    assert len(reader.pages) == 1, "a certificate is one page"
    return reader.pages[0].extract_text()


def qr_code_url(path) -> str:
    """The QR code's content, read from the page rendered at 200 dpi (pdftoppm, zbarimg)."""
    with tempfile.TemporaryDirectory() as tmp:
        image = Path(tmp) / "page"
        subprocess.run(
            ["/usr/bin/pdftoppm", "-r", "200", "-png", "-singlefile", str(path), str(image)],
            check=True,
        )
        scanned = subprocess.run(
            ["/usr/bin/zbarimg", "--quiet", "--raw", f"{image}.png"],
            check=True,
            capture_output=True,
            text=True,
        )
    codes = scanned.stdout.split()
    assert len(codes) == 1, f"expected one QR code on the certificate, found {codes}"
    return codes[0]
