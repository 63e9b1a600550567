from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("kurs/<int:course_id>/einschreiben/", views.enrol, name="enrol"),
    path("kurs/<int:course_id>/abmelden/", views.drop, name="drop"),
    path("lektion/<int:lesson_id>/erledigt/", views.complete, name="complete"),
]
