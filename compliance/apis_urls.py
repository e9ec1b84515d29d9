from django.urls import path

from . import apis

urlpatterns = [
    path("accounts/<int:account_id>/contacts/", apis.ContactAttemptCreateApi.as_view(), name="api-account-contacts"),
    path("accounts/<int:account_id>/contact-check/", apis.ContactCheckApi.as_view(),
         name="api-account-contact-check"),
]
