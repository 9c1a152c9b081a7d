from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.forms import BootstrapForm, RecordField
from core.models import OrgUnit
from core.roles import Role
from core.selectors import unit_list
from core.services import client_address

from . import services


class ThrottledAuthenticationForm(AuthenticationForm):
    """The log-in form, counting failures per (user name, address) in the shared cache."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = services.authenticate_throttled(
                    request=self.request,
                    username=username,
                    password=password,
                    address=client_address(self.request) if self.request else None,
                )
            except DomainError as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class UserForm(forms.Form):
    """Create or change a user: one role and, where the role needs one, its organisation."""

    username = forms.RegexField(
        label=_("User name"), regex=r"^[\w.@+-]+\Z", max_length=150, help_text=_("Letters, digits and . @ + - _ only.")
    )
    display_name = forms.CharField(label=_("Name"), max_length=64, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), required=False, help_text=_("Required for street/town staff.")
    )
    provider = RecordField(
        label=_("Service provider"), picker="provider", required=False, help_text=_("Required for provider users.")
    )
    evaluation_body = RecordField(
        label=_("Evaluation body"), picker="evaluation-body", required=False, help_text=_("Required for evaluators.")
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_list()
        user_model = get_user_model()
        for name in ("provider", "evaluation_body"):
            # The model is read from the user's relation (accounts sits below providers).
            self.fields[name].queryset = user_model.organisation_model(name).objects.order_by("name")
        if editing:
            self.fields["username"].disabled = True


User = get_user_model()


class OwnPasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("The current password is wrong."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class TokenForm(BootstrapForm):
    """A new API token for one client of one's own."""

    name = forms.CharField(
        label=_("Client"),
        max_length=64,
        help_text=_("What will use the token, e.g. 数据局对接脚本. A live token of the same name is replaced."),
    )


class OtpCodeForm(BootstrapForm):
    """A code of the authenticator app (6 digits) or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."),
    )


class OtpEnrolForm(BootstrapForm):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("After adding the portal to the app, type the 6-digit code it shows."),
    )
