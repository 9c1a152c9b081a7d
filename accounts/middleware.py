"""Force a password change after a one-time password was issued; force two-factor enrolment where it is on."""

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import two_factor


class PasswordChangeRequiredMiddleware:
    """A signed-in user with ``must_change_password`` may only reach the password page and log out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"), reverse("set_language"))
            if not request.path.startswith(("/static/", "/api/")) and request.path not in allowed:
                return redirect("accounts:password_change")
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A session of a role that logs in with two factors (``PORTAL_TWO_FACTOR_ROLES``) must be verified.

    Not yet enrolled, the user may only reach the enrolment page, the language switch and log-out; the API
    answers 401 ``otp_required``. Enrolled but not verified (two-factor was switched on during the session), the
    session ends and the user logs in again with a code. Token calls are not sessions: the token endpoint asked
    for the code when the token was issued."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith("/static/")
            or not two_factor.required_for(user)
            or user.is_verified()
        ):
            return self.get_response(request)
        if two_factor.is_enrolled(user):
            logout(request)
            if request.path.startswith("/api/"):
                return self._refused(_("Log in again with the code of your authenticator."))
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        allowed = (reverse("accounts:two_factor_enrol"), reverse("accounts:logout"), reverse("set_language"))
        if request.path in allowed:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return self._refused(_("Two-factor log-in is required for your role: enrol an authenticator first."))
        return redirect("accounts:two_factor_enrol")

    @staticmethod
    def _refused(message):
        return JsonResponse({"code": "otp_required", "message": str(message)}, status=401)
