"""Log-in, password, and the administrator's user management pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from core.errors import DomainError
from core.pages import add_form_error, query_without, saved_redirect
from core.roles import Role
from core.services import client_address

from . import services, throttle, tokens, two_factor
from .forms import OtpCodeForm, OtpEnrolForm, OwnPasswordForm, ThrottledAuthenticationForm, TokenForm, UserForm
from .models import ApiToken
from .permissions import can_manage_users

User = get_user_model()


#: The session key of a log-in whose password was right and whose second factor is still to come.
PENDING_KEY = "sjp_otp_pending"
#: How long the code page waits for the code after the password (seconds).
PENDING_SECONDS = 5 * 60


class PortalLoginView(LoginView):
    """The password; then, for a role with two-factor log-in and an enrolled user, the code page."""

    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.required_for(user) and two_factor.is_enrolled(user):
            # Not logged in yet: the code page logs in once the code is right.
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": timezone.now().timestamp(),
            }
            return redirect("accounts:one_time_password")
        return super().form_valid(form)


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or timezone.now().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def one_time_password(request):
    """The second step of logging in: the authenticator's code, or a recovery code (each works once)."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Log in with your user name and password first."))
        return redirect("accounts:login")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.check_code(user=user, code=form.cleaned_data["code"], address=client_address(request))
        except DomainError as exc:
            add_form_error(form, exc)
            if exc.code == "login_locked":
                request.session.pop(PENDING_KEY, None)
        else:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            if device.name == two_factor.RECOVERY_DEVICE_NAME:
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; {count} are left. New ones are on the two-factor page."
                    ).format(count=two_factor.recovery_codes_left(user)),
                )
            target = pending.get("next") or ""
            return redirect(target if target.startswith("/") and not target.startswith("//") else reverse("home"))
    return render(request, "accounts/one_time_password_form.html", {"form": form, "pending_user": user})


def _require_two_factor_role(user):
    if not two_factor.required_for(user):
        raise PermissionDenied


@login_required
def two_factor_enrol(request):
    """Add an authenticator: a QR code and its key; a code from the app confirms it; recovery codes, once."""
    _require_two_factor_role(request.user)
    if two_factor.is_enrolled(request.user):
        return redirect("accounts:two_factor")  # a new phone goes through the administrator's reset
    device = two_factor.pending_device(request.user)
    form = OtpEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor.confirm_enrolment(user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            add_form_error(form, exc)
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": True})
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {"form": form, "qr": two_factor.qr_data_uri(device), "secret": two_factor.secret(device)},
    )


@login_required
def two_factor_page(request):
    """One's two-factor state: enrolled since, recovery codes left; new recovery codes (shown once)."""
    _require_two_factor_role(request.user)
    if not two_factor.is_enrolled(request.user):
        return redirect("accounts:two_factor_enrol")
    if request.method == "POST":
        codes = two_factor.new_recovery_codes(request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "enrolled": False})
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": two_factor.authenticator(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
        },
    )


class PortalLogoutView(LogoutView):
    pass


@login_required
def password_change(request):
    """Set one's own password; required after an administrator issued a one-time password."""
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(user=request.user, new_password=form.cleaned_data["new_password1"])
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def token_list(request):
    """One's own API tokens: issue one per client (its key shown once), see when each was last used, end one."""
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        token, key = tokens.issue_token(request.user, name=form.cleaned_data["name"])
        issued = {"token": token, "key": key}
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
            "ttl_hours": settings.PORTAL_TOKEN_TTL_HOURS,
        },
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if tokens.end_token(token, tokens.EndReason.REVOKED):
        messages.success(request, _("The token for {client} has ended.").format(client=token.name))
    return redirect("accounts:tokens")


def _require_admin(user):
    allowed, _reason = can_manage_users(user)
    if not allowed:
        raise PermissionDenied


@login_required
def user_list(request):
    _require_admin(request.user)
    users = User.objects.select_related("unit", "provider", "evaluation_body").order_by("username")
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    for user in page:
        user.locked = throttle.has_lockout(user.username)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page_obj": page,
            "q": q,
            "role": role,
            "roles": Role.choices,
            "query": query_without(request),
        },
    )


def _user_kwargs(data):
    return {
        "role": data["role"],
        "unit": data.get("unit"),
        "provider": data.get("provider"),
        "evaluation_body": data.get("evaluation_body"),
        "display_name": data.get("display_name", ""),
        "phone": data.get("phone", ""),
        "email": data.get("email", ""),
    }


@login_required
def user_create(request):
    _require_admin(request.user)
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, issued = services.user_create(
                actor=request.user, username=form.cleaned_data["username"], **_user_kwargs(form.cleaned_data)
            )
        except DomainError as exc:
            add_form_error(form, exc)
        else:
            return render(request, "accounts/one_time_password.html", {"target": user, "password": issued})
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@login_required
def user_edit(request, pk):
    _require_admin(request.user)
    target = get_object_or_404(User, pk=pk)
    initial = {
        "username": target.username,
        "display_name": target.display_name,
        "role": target.role,
        "unit": target.unit,
        "provider": target.provider,
        "evaluation_body": target.evaluation_body,
        "phone": target.phone,
        "email": target.email,
    }
    form = UserForm(request.POST or None, initial=initial, editing=True)
    if done := saved_redirect(
        request,
        form,
        lambda: services.user_update(actor=request.user, user=target, **_user_kwargs(form.cleaned_data)),
        message=_("The user has been saved."),
        then=reverse("accounts:user_detail", args=[target.pk]),
    ):
        return done
    return render(request, "accounts/user_form.html", {"form": form, "target": target, "creating": False})


@login_required
def user_detail(request, pk):
    _require_admin(request.user)
    target = get_object_or_404(User.objects.select_related("unit", "provider", "evaluation_body"), pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "locked": throttle.has_lockout(target.username)
            or throttle.has_lockout(two_factor.throttle_scope(target.username)),
            "two_factor_enrolled": two_factor.is_enrolled(target),
        },
    )


@login_required
@require_POST
def user_action(request, pk, action):
    """Deactivate, activate, reset the password of, or unlock a user."""
    _require_admin(request.user)
    target = get_object_or_404(User, pk=pk)
    try:
        if action == "deactivate":
            services.user_set_active(actor=request.user, user=target, active=False)
            messages.success(request, _("{user} has been deactivated.").format(user=target))
        elif action == "activate":
            services.user_set_active(actor=request.user, user=target, active=True)
            messages.success(request, _("{user} has been reactivated.").format(user=target))
        elif action == "reset-password":
            issued = services.user_reset_password(actor=request.user, user=target)
            return render(request, "accounts/one_time_password.html", {"target": target, "password": issued})
        elif action == "reset-two-factor":
            services.user_reset_two_factor(actor=request.user, user=target)
            messages.success(
                request, _("{user} will enrol an authenticator again at the next log-in.").format(user=target)
            )
        elif action == "unlock":
            services.user_unlock(actor=request.user, user=target)
            messages.success(request, _("{user} can log in again.").format(user=target))
        else:
            raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user_detail", pk=target.pk)
