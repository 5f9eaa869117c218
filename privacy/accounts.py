"""Accounts: two-factor authentication (TOTP), login rate limiting, failed-login logging and
the API token endpoint.

How the login flow works:
1. The password step is Django's own login view (and the admin's): unchanged.
2. `TwoFactorMiddleware` then looks at the session. A user with a confirmed TOTP device who
   has not entered a code in this session is sent to the code page before anything else;
   a user who must use two-factor authentication (an organiser of a congress that requires
   it) but has no device yet is sent to the enrolment page. API calls authenticated by the
   session get a JSON 403 instead. API calls with `Authorization: Token` are untouched:
   tokens are only ever handed out by `obtain_token`, which asks for the code as well.
3. Whether a user has a device or must use one is computed at login and re-checked every
   TWO_FACTOR_STATE_TTL seconds, so ordinary page views cost no extra query.

Login attempts (POST to a login page or the code page) are rate-limited per client address
by `LoginRateLimitMiddleware`; the token endpoint per address and per username. Failed
logins are logged with a keyed hash of the username only, never the password, and a burst
of failures for one username writes one audit row.
"""

import logging
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.pdf import qr_svg
from common.ratelimit import Rate, client_ip, hashed, hit
from congress.models import CongressRole
from congress.services import record_audit

logger = logging.getLogger("privacy.accounts")

SESSION_STATE_KEY = "privacy_two_factor_state"
TWO_FACTOR_STATE_TTL = 300
# URL names reachable while a logged-in user still owes a second factor.
OPEN_URL_NAMES = frozenset(
    {
        "privacy:two-factor-verify",
        "privacy:two-factor-enrol",
        "logout",
        "admin:logout",
        "login",
        "admin:login",
        "set_language",
        "javascript-catalog",
        "health",
    }
)
LOGIN_URL_NAMES = frozenset({"login", "admin:login", "privacy:two-factor-verify"})


def _rate(setting: str, default: str) -> Rate:
    return Rate.parse(getattr(settings, setting, default))


# --- who must use two-factor authentication ------------------------------------------------


def two_factor_required_for(user) -> bool:
    """True when `user` is an organiser of any congress that requires two-factor login."""
    return CongressRole.objects.filter(
        user=user, role=CongressRole.Role.ORGANISER, congress__requires_two_factor=True
    ).exists()


def _fresh_state(user) -> dict:
    return {
        "required": two_factor_required_for(user),
        "has_device": user_has_device(user, confirmed=True),
        "at": int(time.time()),
    }


def two_factor_state(request: HttpRequest) -> dict:
    """{"required": bool, "has_device": bool} for the session's user, cached in the session."""
    state = request.session.get(SESSION_STATE_KEY)
    if not state or time.time() - state.get("at", 0) > TWO_FACTOR_STATE_TTL:
        state = _fresh_state(request.user)
        request.session[SESSION_STATE_KEY] = state
    return state


def _on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STATE_KEY] = _fresh_state(user)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Log a failed login without the password; one audit row per burst of failures."""
    username = str(credentials.get("username", "")).strip().lower()
    username_hash = hashed(f"username:{username}")
    address_hash = hashed(f"ip:{client_ip(request)}") if request is not None else ""
    logger.warning("login failed: username_hash=%s address_hash=%s", username_hash, address_hash)
    rate = _rate("LOGIN_FAILURE_AUDIT_RATE", "5/900")
    result = hit(scope="login-failure", key=username, rate=rate)
    if result.count == rate.limit:
        record_audit(
            action="account.login_failures",
            detail={
                "username_hash": username_hash,
                "failures": result.count,
                "window_seconds": rate.window_seconds,
            },
        )


def connect_signals() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="privacy-two-factor-state")
    user_login_failed.connect(_on_login_failed, dispatch_uid="privacy-login-failed")


# --- middleware ------------------------------------------------------------------------------


def _url_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


class TwoFactorMiddleware:
    """Sends users who owe a second factor to the code or enrolment page (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            # No session, so no session user (AuthenticationMiddleware reads it from the
            # session): an API call with a token (the door's scanners) or a visitor. Their
            # lazy request.user is not loaded just to find it anonymous.
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _url_name(request) in OPEN_URL_NAMES:
            return None
        if user.is_verified():
            return None
        state = two_factor_state(request)
        if state["has_device"]:
            url_name = "privacy:two-factor-verify"
        elif state["required"]:
            url_name = "privacy:two-factor-enrol"
        else:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "two_factor_required",
                    "detail": gettext(
                        "Two-factor authentication is required: log in on the website "
                        "and enter your code, or use an API token."
                    ),
                },
                status=403,
            )
        return HttpResponseRedirect(_with_next(url_name, request.get_full_path()))


class LoginRateLimitMiddleware:
    """Limits POSTs to the login pages, the code page and the password reset page per
    client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        url_name = _url_name(request)
        if url_name in LOGIN_URL_NAMES:
            scope, rate = "login", _rate("LOGIN_RATE_LIMIT", "10/300")
        elif url_name == "password_reset":
            # Each request e-mails someone: limit it like a login attempt (issue 13).
            scope, rate = "password-reset", _rate("PASSWORD_RESET_RATE_LIMIT", "5/900")
        else:
            return None
        result = hit(scope=scope, key=client_ip(request), rate=rate)
        if result.allowed:
            return None
        response = render(request, "privacy/accounts/rate_limited.html", status=429)
        response["Retry-After"] = str(result.retry_after)
        return response


# --- pages -----------------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


def _mark_verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session[SESSION_STATE_KEY] = {
        **two_factor_state(request),
        "has_device": True,
        "at": int(time.time()),
    }


@login_required
@sensitive_post_parameters("token")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second login step: the user enters the current code from their authenticator."""
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if request.user.is_verified():
        return redirect(next_url)
    if not user_has_device(request.user, confirmed=True):
        return redirect(_with_next("privacy:two-factor-enrol", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            _mark_verified(request, device)
            return redirect(next_url)
        logger.warning("two-factor code refused: user_id=%s", request.user.pk)
        form.add_error("token", gettext("This code is not valid. Try the current one."))
    return render(
        request, "privacy/accounts/two_factor_verify.html", {"form": form, "next": next_url}
    )


@login_required
@sensitive_post_parameters("token")
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP device: show its QR code and secret, confirm with a first code."""
    next_url = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # A second device may only be added once the first one has been used this session.
        return redirect(_with_next("privacy:two-factor-verify", next_url))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=gettext("Authenticator"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _mark_verified(request, device)
            record_audit(action="account.two_factor_enabled", actor=user, target=device)
            messages.success(request, gettext("Two-factor authentication is now on."))
            return redirect(next_url)
        form.add_error("token", gettext("This code is not valid. Try the current one."))
    secret = _base32_secret(device)
    return render(
        request,
        "privacy/accounts/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": qr_svg(
                device.config_url,
                title=gettext("QR code for your authenticator app"),
                css_class="totp-qr",
            ),
            "secret": secret,
            "has_device": user_has_device(user, confirmed=True),
        },
    )


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


# --- API token endpoint ----------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp_token = serializers.CharField(max_length=8, required=False, allow_blank=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


def _token_error(code: str, detail: str, http_status: int) -> Response:
    return Response({"code": code, "detail": detail}, status=http_status)


class ObtainTokenView(APIView):
    """POST username, password (and `otp_token` when two-factor is on) -> an API token.

    Rate-limited per client address and per username. A user who has a TOTP device, or who
    must use one, gets a token only with a valid code: tokens exist only for verified users.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        limited = self._limited(request, data["username"])
        if limited is not None:
            return limited
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            return _token_error(
                "invalid_credentials",
                gettext("Unable to log in with these credentials."),
                status.HTTP_400_BAD_REQUEST,
            )
        if user_has_device(user, confirmed=True):
            code = data.get("otp_token", "").replace(" ", "")
            # An empty code is a question ("do I need one?"), not a failed attempt: it must
            # not start django-otp's throttling.
            if not code or match_token(user, code) is None:
                return _token_error(
                    "two_factor_required",
                    gettext("Enter the current code from your authenticator app."),
                    status.HTTP_400_BAD_REQUEST,
                )
        elif two_factor_required_for(user):
            return _token_error(
                "two_factor_enrolment_required",
                gettext("Set up two-factor authentication on the website first."),
                status.HTTP_403_FORBIDDEN,
            )
        token, _created = Token.objects.get_or_create(user=user)
        record_audit(action="account.api_token_issued", actor=user)
        return Response({"token": token.key})

    def _limited(self, request: Request, username: str) -> Response | None:
        rate = _rate("API_TOKEN_RATE_LIMIT", "10/300")
        by_address = hit(scope="api-token-ip", key=client_ip(request), rate=rate)
        by_user = hit(scope="api-token-user", key=username.strip().lower(), rate=rate)
        if by_address.allowed and by_user.allowed:
            return None
        response = _token_error(
            "rate_limited",
            gettext("Too many attempts. Please wait a few minutes and try again."),
            status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(max(by_address.retry_after, by_user.retry_after))
        return response
