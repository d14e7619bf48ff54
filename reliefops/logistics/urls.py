"""URLs of the logistics domain: pages under /logistics/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.logistics import api, views, waybill_views

app_name = "logistics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("convoys/", views.convoy_list_view, name="convoy_list"),
    path("convoys/new/", views.convoy_create_view, name="convoy_create"),
    path("convoys/<str:code>/", views.convoy_detail_view, name="convoy_detail"),
    path("convoys/<str:code>/road/", views.convoy_road_view, name="convoy_road"),
    path("convoys/<str:code>/steps/<str:step>/", views.convoy_step_view, name="convoy_step"),
    path(
        "convoys/<str:code>/stops/<int:sequence>/photo/",
        views.delivery_photo_view,
        name="delivery_photo",
    ),
    path(
        "convoys/<str:code>/waybill.pdf", waybill_views.waybill_download_view, name="convoy_waybill"
    ),
]
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
