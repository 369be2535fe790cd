"""Root URLs: pages of each app, the API under /api/, sign-in, health, the favicon."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard import metrics, site, views
from dashboard.signin import RateLimitedLoginView

app_urls = [
    path("", views.overview, name="overview"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="apitoken_revoke"),
    path("audit-log/", views.audit_log, name="auditentry_list"),
]

urlpatterns = [
    path("", include((app_urls, "dashboard"))),
    path("sign-in/", RateLimitedLoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("metrics", metrics.metrics, name="metrics"),
    path("clouds/", include("aggregates.urls")),
    path("", include("roadmap.urls")),
    path("api/", include("dashboard.api.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "dashboard.site.error_403"
handler404 = "dashboard.site.error_404"
handler500 = "dashboard.site.error_500"
