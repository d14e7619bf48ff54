"""URLs of the intake domain: pages under /intake/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.intake import api, views

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("upload/", views.upload_view, name="upload"),
    path("export/<slug:kind>/", views.export_view, name="export"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/<slug:kind>/", api.ImportApi.as_view(), name="import"),
    path("exports/<slug:kind>/", api.ExportApi.as_view(), name="export"),
]
