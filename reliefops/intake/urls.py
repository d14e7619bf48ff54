"""URLs of the intake domain: pages under /intake/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.intake import api, views

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("upload/", views.upload_view, name="upload"),
    path("history/", views.run_list_view, name="run_list"),
    path("history/<uuid:pk>/", views.run_detail_view, name="run_detail"),
    path("export/<slug:kind>/", views.export_view, name="export"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/<slug:kind>/", api.ImportApi.as_view(), name="import"),
    path("import-runs/", api.ImportRunListApi.as_view(), name="import_run_list"),
    path("import-runs/<uuid:pk>/", api.ImportRunDetailApi.as_view(), name="import_run_detail"),
    path("exports/<slug:kind>/", api.ExportApi.as_view(), name="export"),
]

# --- added for submissions
urlpatterns += [
    path("submissions/", views.submission_list_view, name="submission_list"),
]
api_urlpatterns += [
    path("submissions/", api.SubmissionApi.as_view(), name="submission_list"),
    path("submissions/batch/", api.SubmissionBatchApi.as_view(), name="submission_batch"),
    path(
        "submissions/<uuid:client_id>/",
        api.SubmissionDetailApi.as_view(),
        name="submission_detail",
    ),
]
