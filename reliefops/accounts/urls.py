"""URLs of the accounts domain: pages under /accounts/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.accounts import api, token_views, views

app_name = "accounts"

router = SimpleRouter()
router.register("memberships", api.MembershipListApi, basename="membership")

urlpatterns: list[URLPattern | URLResolver] = [
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup_view, name="two_factor_setup"),
    path("tokens/", token_views.tokens_view, name="tokens"),
    path("tokens/all/", token_views.tokens_admin_view, name="tokens_admin"),
    path("tokens/<uuid:pk>/revoke/", token_views.token_revoke_view, name="token_revoke"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", api.MeApi.as_view(), name="me"),
    path("auth/token/", api.TokenObtainApi.as_view(), name="token"),
    path("auth/tokens/", api.ApiTokenListApi.as_view(), name="api_tokens"),
    path("auth/tokens/<uuid:id>/", api.ApiTokenDetailApi.as_view(), name="api_token"),
    path("", include(router.urls)),
]
