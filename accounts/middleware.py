"""Force a password change after a one-time password was issued."""

from django.shortcuts import redirect
from django.urls import reverse


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
