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
