"""URLs of the notices: pages under /notices/ and the API under /api/v1/notices/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.notices import api, views

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notice_list_view, name="notice_list"),
    path("bell/", views.notice_bell_view, name="notice_bell"),
    path("read-all/", views.notice_read_all_view, name="notice_read_all"),
    path("<uuid:pk>/", views.notice_open_view, name="notice_open"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("notices/", api.NoticeListApi.as_view(), name="notice_list"),
    path("notices/unread/", api.NoticeUnreadApi.as_view(), name="notice_unread"),
    path("notices/read-all/", api.NoticeReadAllApi.as_view(), name="notice_read_all"),
    path("notices/<uuid:pk>/read/", api.NoticeReadApi.as_view(), name="notice_read"),
]
