from django.urls import path

from . import apis, apis_complaints

urlpatterns = [
    # POST accounts/<id>/contacts/ is wired in collections_app (it also counts as the worklist disposition).
    path("accounts/<int:account_id>/contact-check/", apis.ContactCheckApi.as_view(),
         name="api-account-contact-check"),
    path("complaints/", apis_complaints.ComplaintListCreateApi.as_view(), name="api-complaints"),
    path("complaints/<int:complaint_id>/respond/", apis_complaints.ComplaintRespondApi.as_view(),
         name="api-complaint-respond"),
    path("complaints/<int:complaint_id>/close/", apis_complaints.ComplaintCloseApi.as_view(),
         name="api-complaint-close"),
]
