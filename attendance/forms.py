from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import AttendanceClosure


class CertificateThresholdForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Minimum hours of sessions attended"),
        min_value=0,
        max_value=200,
        decimal_places=2,
    )


class CertificateRuleForm(forms.Form):
    """Who gets a certificate: the rule, its thresholds, and how plenaries count."""

    rule = forms.ChoiceField(
        label=_("A certificate goes to people with"),
        choices=AttendanceClosure.CertificateRule.choices,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Minimum days present (at the entrance or a session door)"),
        min_value=1,
        max_value=60,
    )
    hours = forms.DecimalField(
        label=_("Minimum hours of sessions attended"),
        min_value=0,
        max_value=200,
        decimal_places=2,
    )
    plenary_rule = forms.ChoiceField(
        label=_("Plenaries (no sign-up, so no session door) count through"),
        choices=AttendanceClosure.PlenaryRule.choices,
        widget=forms.RadioSelect,
        required=False,  # left out: the rule stays as it is
    )
