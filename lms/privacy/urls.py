from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("<int:pk>/herunterladen/", views.data_export_download, name="data_export_download"),
]
