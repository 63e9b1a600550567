"""Response headers (Content-Security-Policy and friends) and privacy-minded embeds.

See docs/security.md for the threat model these belong to.
"""
