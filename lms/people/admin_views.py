from django.http import HttpResponse


def user_import(request):  # replaced by the import screen
    return HttpResponse(status=501)
