"""Certificates in the Wagtail admin: templates (centre admins), issued certificates and ZIP
archives (centre admins and HR, each within their scope). Registered in wagtail_hooks."""
