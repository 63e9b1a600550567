from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms.routing import routes_forget


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def forget_routes(sender, **kwargs):
    routes_forget()


@receiver(post_delete)
def forget_routes_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        routes_forget()
