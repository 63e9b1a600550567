"""Certificate templates, issuing, PDF rendering, verification, expiry and revocation."""
