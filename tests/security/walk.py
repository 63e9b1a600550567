"""Helpers for walking the URL configuration: which patterns take an object id or code, and
whether a response turned a request away without giving anything of the object away."""

from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.responses import body_text


def _parameter_count(pattern) -> int:
    """How many values a pattern takes from the path: converters or regex groups."""
    return pattern.pattern.regex.groups


def id_taking_patterns(url_patterns=None) -> dict[str, str]:
    """Every URL pattern that takes a value from the path, as {name: route}; by default those
    of the project's URL configuration.

    A value on any level counts (an include under `<int:pk>/` makes all its patterns take one).
    Patterns without a name are keyed by their route, so they cannot slip through unnamed.
    """
    found = {}

    def walk(patterns, prefix="", namespace="", inherited=0):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            taken = inherited + _parameter_count(pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner, taken)
            elif isinstance(pattern, URLPattern) and taken:
                key = namespace + pattern.name if pattern.name else route
                found.setdefault(key, route)

    walk(get_resolver().url_patterns if url_patterns is None else url_patterns)
    return found


def _redirect_path(response) -> str:
    return urlsplit(response["Location"]).path


def turned_away(response) -> bool:
    """403 or 404; 405 for a method the view does not take; or a redirect to sign-in (Django
    and allauth), to the admin's sign-in (no admin access) or to the admin's start page (Wagtail's
    "permission denied")."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code != 302:
        return False
    return _redirect_path(response) in {
        reverse("account_login"),
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_home"),
    }


def leaked(response, secrets) -> list[str]:
    """The secrets that appear in the response's body or in its redirect target."""
    text = body_text(response) + " " + response.get("Location", "")
    return [secret for secret in secrets if secret in text]


def bulk_actions() -> dict[tuple[str, str], list[str]]:
    """Wagtail's bulk actions by (app label, model name); they take their ids from the query."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()
    return {
        (app_label, model_name): sorted(actions)
        for app_label, models in bulk_action_registry.actions.items()
        for model_name, actions in models.items()
    }
