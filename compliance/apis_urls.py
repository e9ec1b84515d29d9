from django.urls import path

from . import apis

urlpatterns = [
    # POST accounts/<id>/contacts/ is wired in collections_app (it also counts as the worklist disposition).
    path("accounts/<int:account_id>/contact-check/", apis.ContactCheckApi.as_view(),
         name="api-account-contact-check"),
]
