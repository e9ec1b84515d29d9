from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.forms import AccountField, TranslatedLabelsMixin
from compliance.models import HoldKind, RetentionPolicy


class RetentionPolicyForm(TranslatedLabelsMixin, forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = ["retention_days", "is_active"]

    def clean_retention_days(self):
        days = self.cleaned_data["retention_days"]
        if self.instance.kind in ("contact_attempts", "generated_letters") and days < 3 * 365:
            # 12 CFR 1006.100(a): evidence of compliance is kept 3 years after the last collection activity.
            raise forms.ValidationError(
                _("Reg F 1006.100 requires at least three years (1095 days) for this record kind."))
        return days


class HoldForm(forms.Form):
    account_ref = AccountField()
    kind = forms.ChoiceField(choices=HoldKind.choices, label=_("Kind"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))
    ref = forms.CharField(label=_("Reference (case, complaint, dispute id)"), required=False, max_length=120)
