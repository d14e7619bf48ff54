"""URLs of the day-plans domain: pages under /dayplans/ and the API under /api/v1/.

The Django side of planning: problems from the database, plan runs, draft → review → commit.
"""

from django.urls import URLPattern, URLResolver, path

from reliefops.dayplans import api, views

app_name = "dayplans"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.plan_list_view, name="plan_list"),
    path("new/", views.plan_start_view, name="plan_start"),
    path("<str:reference>/", views.plan_detail_view, name="plan_detail"),
    path("<str:reference>/progress/", views.plan_progress_view, name="plan_progress"),
    path("<str:reference>/edit/", views.plan_edit_view, name="plan_edit"),
    path("<str:reference>/steps/<str:step>/", views.plan_step_view, name="plan_step"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/", api.PlanListApi.as_view(), name="plan_list"),
    path("plans/<str:reference>/", api.PlanDetailApi.as_view(), name="plan_detail"),
    path(
        "plans/<str:reference>/cancel/", api.PlanStepApi.as_view(step="cancel"), name="plan_cancel"
    ),
    path("plans/<str:reference>/edit/", api.PlanEditApi.as_view(), name="plan_edit"),
    path(
        "plans/<str:reference>/commit/", api.PlanStepApi.as_view(step="commit"), name="plan_commit"
    ),
    path("plans/<str:reference>/replan/", api.PlanReplanApi.as_view(), name="plan_replan"),
    path(
        "plans/<str:reference>/discard/",
        api.PlanStepApi.as_view(step="discard"),
        name="plan_discard",
    ),
]
