from django.urls import path

from . import views
from .quizzes import views as quiz_views

app_name = "courses"
urlpatterns = [
    path("kurs/<int:course_id>/einschreiben/", views.enrol, name="enrol"),
    path("kurs/<int:course_id>/abmelden/", views.drop, name="drop"),
    path("lektion/<int:lesson_id>/erledigt/", views.complete, name="complete"),
    path("test/<int:quiz_id>/starten/", quiz_views.start, name="quiz_start"),
    path(
        "versuch/<int:attempt_id>/seite/<int:page>/",
        quiz_views.attempt_page,
        name="attempt_page",
    ),
    path("versuch/<int:attempt_id>/abgeben/", quiz_views.attempt_summary, name="attempt_summary"),
    path("versuch/<int:attempt_id>/", quiz_views.attempt_result, name="attempt_result"),
]
