"""Faster page routing for pages whose children are (mostly) of one known type."""

from django.apps import apps
from django.core.cache import cache

ROUTE_VERSION_KEY = "pages:route-version"
ROUTE_CACHE_SECONDS = 3600
_NOT_TYPED = "-"  # cached too: a child of another type goes to Wagtail's routing directly


def _route_version(request) -> int:
    """One cache read per request; a change to any page's place or publication bumps it."""
    version = getattr(request, "_lms_route_version", None)
    if version is None:
        version = cache.get(ROUTE_VERSION_KEY)
        if version is None:
            cache.add(ROUTE_VERSION_KEY, 1, None)
            version = cache.get(ROUTE_VERSION_KEY, 1)
        request._lms_route_version = version
    return version


def routes_forget() -> None:
    """Invalidate every cached route, e.g. after a page was published, moved or deleted."""
    try:
        cache.incr(ROUTE_VERSION_KEY)
    except ValueError:
        cache.set(ROUTE_VERSION_KEY, 1, None)


def cached_with_routes(request, name, load):
    """A value derived from the page tree, cached until the tree next changes."""
    key = f"pages:{name}:{_route_version(request)}"
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value if value is not None else _NOT_TYPED, ROUTE_CACHE_SECONDS)
    return None if value == _NOT_TYPED else value


class TypedChildRouteMixin:
    """Finds a child page, already of its specific type, without two queries per request.

    Wagtail's own routing loads the base page, then its specific row, on every request. For a
    catalogue of courses and courses of lessons the type is known: the child is asked for
    directly and kept in the shared cache until any page is published, unpublished, moved or
    deleted. Children of any other type fall back to Wagtail's routing.
    """

    child_page_models: tuple[str, ...] = ()

    def route(self, request, path_components):
        if path_components:
            slug, rest = path_components[0], path_components[1:]
            subpage = self._typed_child(request, slug)
            if subpage is not None and subpage != _NOT_TYPED:
                # As Wagtail does: treebeard's get_parent() uses this instead of a query.
                subpage._cached_parent_obj = self
                return subpage.route(request, rest)
        return super().route(request, path_components)

    def _typed_child(self, request, slug):
        key = f"pages:route:{_route_version(request)}:{self.pk}:{slug}"
        subpage = cache.get(key)
        if subpage is None:
            for label in self.child_page_models:
                model = apps.get_model(label)
                subpage = model.objects.child_of(self).filter(slug=slug).first()
                if subpage is not None:
                    break
            cache.set(key, subpage or _NOT_TYPED, ROUTE_CACHE_SECONDS)
        return subpage
