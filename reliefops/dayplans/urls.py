"""URLs of the day-plans domain: pages under /dayplans/ and the API under /api/v1/.

The Django side of planning: problems from the database, plan runs, draft → review → commit.
"""

from django.urls import URLPattern, URLResolver

app_name = "dayplans"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
