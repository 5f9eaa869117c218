"""The Stripe webhook lives outside the language prefix: POST /stripe/webhook/."""

from django.urls import path

from registrations import views

urlpatterns = [path("webhook/", views.stripe_webhook, name="stripe-webhook")]
