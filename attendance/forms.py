from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateThresholdForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Minimum hours of sessions attended"),
        min_value=0,
        max_value=200,
        decimal_places=2,
    )
