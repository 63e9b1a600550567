from django.urls import path

import lms.converters  # noqa: F401  (registers the `id` path converter)

from . import views
from .quizzes import views as quiz_views

app_name = "courses"
urlpatterns = [
    path("kurs/<id:course_id>/einschreiben/", views.enrol, name="enrol"),
    path("kurs/<id:course_id>/abmelden/", views.drop, name="drop"),
    path("lektion/<id:lesson_id>/erledigt/", views.complete, name="complete"),
    path("test/<id:quiz_id>/starten/", quiz_views.start, name="quiz_start"),
    path(
        "versuch/<id:attempt_id>/seite/<id:page>/",
        quiz_views.attempt_page,
        name="attempt_page",
    ),
    path("versuch/<id:attempt_id>/abgeben/", quiz_views.attempt_summary, name="attempt_summary"),
    path("versuch/<id:attempt_id>/", quiz_views.attempt_result, name="attempt_result"),
]
