"""A URL whose view fails, for tests of what an unhandled error logs."""

from django.urls import path


def fail(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("fail/", fail)]
