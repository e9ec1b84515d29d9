from django.shortcuts import render

from accounts.access import ADMIN, COMPLIANCE, SUPERVISOR, allow_roles


@allow_roles(COMPLIANCE, ADMIN, SUPERVISOR)
def home(request):
    return render(request, "compliance/home.html")
