"""URLs of the accounts domain: pages under /accounts/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.accounts import api

app_name = "accounts"

router = SimpleRouter()
router.register("memberships", api.MembershipListApi, basename="membership")

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", api.MeApi.as_view(), name="me"),
    path("auth/token/", api.TokenObtainApi.as_view(), name="token"),
    path("", include(router.urls)),
]
