from django import forms
from django.utils.translation import gettext_lazy as _
from simple_history.models import registered_models

from core.forms import BootstrapForm, DateInput


def record_types():
    """``[(label, verbose name)]`` of every model with history: the records an exception may name."""
    types = {model._meta.label_lower: model._meta.verbose_name for model in registered_models.values()}
    return sorted(types.items(), key=lambda item: str(item[1]))


class CloseForm(BootstrapForm):
    through = forms.DateField(label=_("Closed through"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ExceptionRequestForm(BootstrapForm):
    record_model = forms.ChoiceField(label=_("Record type"), choices=())
    record_id = forms.CharField(label=_("Record id"), max_length=64)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_model"].choices = record_types()
