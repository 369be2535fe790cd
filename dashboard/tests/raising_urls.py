"""The site's URLs plus one whose view fails: what an unhandled error logs and shows."""

from django.urls import path

from dashboard.urls import handler404, handler500
from dashboard.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("fail/", fail), *site_urlpatterns]
__all__ = ["handler404", "handler500", "urlpatterns"]
