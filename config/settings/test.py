"""Settings for the test suite: the production settings with test-only speed-ups."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STRIPE_SECRET_KEY = "sk_test_fake"  # noqa: S105
STRIPE_WEBHOOK_SECRET = "whsec_test_fake"  # noqa: S105
# Serve static files from the app folders; tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Encrypted fields use the published development key unless FIELD_ENCRYPTION_KEYS is set.
FIELD_ENCRYPTION_ALLOW_DEVELOPMENT_KEY = True
# The whole suite (e2e included) logs in from 127.0.0.1 many times within minutes; tests of
# the limits themselves set tighter values with the `settings` fixture.
LOGIN_RATE_LIMIT = "10000/300"
API_TOKEN_RATE_LIMIT = "10000/300"  # noqa: S105 (a rate, not a secret: "TOKEN" in the name)
REGISTRATION_RATE_LIMIT = "10000/3600"
LOST_LINK_RATE_LIMIT = "10000/900"
PASSWORD_RESET_RATE_LIMIT = "10000/900"  # noqa: S105 (a rate, not a secret)
