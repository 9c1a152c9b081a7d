from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import chained_record_types


class RecordTrailForm(forms.Form):
    record_model = forms.ChoiceField(label=_("Record type"), choices=())
    record_id = forms.CharField(label=_("Record id"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_model"].choices = chained_record_types()
