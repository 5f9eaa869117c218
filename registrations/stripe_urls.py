"""The Stripe webhook lives outside the language prefix: POST /stripe/webhook/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
