"""The learner's page: who viewed, printed or exported their learning record."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache

from .selectors import audit_entries_about

PAGE_SIZE = 25


@never_cache
@login_required
def my_access_log(request):
    entries = audit_entries_about(person=request.user).only(
        "occurred_at",
        "actor_name",
        "actor_role",
        "action",
        "report",
        "report_title",
        "export_format",
        # The sentences about certificates name the course recorded here.
        "filters",
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("seite"))
    days = settings.PRIVACY_RETENTION_DAYS["access_log"]
    return TemplateResponse(
        request,
        "audit/my_access_log.html",
        {
            "entries": page,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
            "retention_days": days,
            "retention_years": days // 365 if days and days % 365 == 0 else None,
        },
    )
