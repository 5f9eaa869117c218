"""Organiser forms of the badges app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RevocationForm(forms.Form):
    """Revoke a badge, or lift a revocation: which registration, and why (audited)."""

    registration = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_('Kept in the audit log, for example "banned: security incident".'),
    )


class LendHeadsetForm(forms.Form):
    token = forms.CharField(label=_("Badge code (scan the badge)"), max_length=64)
    headset = forms.CharField(label=_("Headset number"), max_length=20)
    phone = forms.CharField(
        label=_("Phone number (to call back a lost headset)"), max_length=40, required=False
    )
    deposit = forms.DecimalField(
        label=_("Deposit"), min_value=0, max_value=10000, decimal_places=2, required=False
    )


class ReturnHeadsetForm(forms.Form):
    headset = forms.CharField(label=_("Headset number"), max_length=20)
