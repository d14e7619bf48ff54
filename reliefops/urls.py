"""Root URLs: pages of every domain app under /<app>/, their APIs under /api/v1/."""

from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from reliefops.core import views as core_views
from reliefops.reports import views as reports_views

api_urlpatterns: list[URLPattern | URLResolver] = []
app_urlpatterns: list[URLPattern | URLResolver] = []
for dotted in settings.DOMAIN_APPS:
    module = import_module(f"{dotted}.urls")
    label = dotted.rsplit(".", 1)[-1]
    if getattr(module, "urlpatterns", None):
        app_urlpatterns.append(path(f"{label}/", include(module)))
    api_urlpatterns.extend(getattr(module, "api_urlpatterns", []))

api_root: list[URLPattern | URLResolver] = [
    path("", core_views.ApiRootView.as_view(patterns=api_urlpatterns), name="root"),
]

urlpatterns = [
    path("", reports_views.home_view, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path("language/", core_views.set_language, name="set_language"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", core_views.PasswordChange.as_view(), name="password_change"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_root + api_urlpatterns, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *app_urlpatterns,
]

handler400 = "reliefops.core.views.error_400"
handler403 = "reliefops.core.views.error_403"
handler404 = "reliefops.core.views.error_404"
handler500 = "reliefops.core.views.error_500"
