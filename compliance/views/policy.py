from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import allow_roles, has_role
from compliance import forms, services
from compliance.models import StatePolicy
from compliance.policy_table import describe_entries

from .dashboard import EDITORS, READERS


@allow_roles(*READERS)
def policy_list(request):
    policies = list(StatePolicy.objects.select_related("updated_by").all())
    for policy in policies:
        policy.rule_sentences = describe_entries(policy.rules)
    return render(request, "compliance/policy_list.html", {
        "policies": policies, "can_edit": has_role(request.user, *EDITORS)})


@allow_roles(*EDITORS)
def policy_edit(request, pk: int | None = None):
    policy = get_object_or_404(StatePolicy, pk=pk) if pk else StatePolicy()
    form = forms.StatePolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.state_policy_save(policy=form.instance, user=request.user, meta=services.client_meta(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %(policy)s.") % {"policy": form.instance})
            return redirect("compliance:policy")
    title = _("Edit %(policy)s") % {"policy": policy} if pk else _("Add a state policy row")
    return render(request, "compliance/form.html", {"form": form, "title": title, "back": "compliance:policy"})
