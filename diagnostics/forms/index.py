"""Forms of the index editor: an answer option, a row of the level rule."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OptionForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=200)
    points = forms.DecimalField(label=_("Points"), min_value=0, max_digits=7, decimal_places=4)


class LevelRuleForm(forms.Form):
    """One row of the level rule table (the page shows one per level)."""

    min_score = forms.DecimalField(
        label=_("Score at least"), min_value=0, max_value=100, max_digits=7, decimal_places=3
    )
    scene_level = forms.IntegerField(label=_("Scene level counted"), min_value=1, max_value=4)
    min_scenes = forms.IntegerField(label=_("Scenes at least"), min_value=0, max_value=16)
    min_constraint_scenes = forms.IntegerField(label=_("Constraint scenes at least"), min_value=0, max_value=16)
