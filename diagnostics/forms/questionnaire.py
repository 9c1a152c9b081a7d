"""The questionnaire: one reusable form over an index edition (evaluation forms, diagnosis reports).

Usage::

    form = QuestionnaireForm(edition, data=request.POST or None, initial_record=assessment)
    if form.is_valid():
        form.answers()      # {item code: answer} in the engine's form (docs/api.md)
        form.raw()          # {raw key: "decimal text"}: the numbers band/outcome answers came from
        form.scenes()       # {scene code: level 1–4} (scenes at level 0 are left out)
        form.scene_notes()  # {scene code: evidence note}
        form.result()       # the engine's ScoreResult for these answers

In a template::

    {% include "diagnostics/_questionnaire.html" with questionnaire=form %}

inside your own ``<form>`` (which carries the CSRF token and your other fields). The component
renders the items grouped by dimension and secondary indicator (checkboxes for multi-choice,
radios for single-choice and outcome items, raw-number inputs with the derived answer for band
and outcome items), the 16 scenes with a level select 0–4 whose help is the level descriptions,
constraint scenes marked ★, and an evidence note per scene. It also renders a score card that
htmx refreshes on every change by POSTing the enclosing form to ``diagnostics:assessments:live_score``
(:func:`diagnostics.views.assessments.live_score`), which answers the card partial
``diagnostics/_questionnaire_score.html`` (total, three dimensions, scene counts, level, errors)
and the derived answers out of band.

Field names (stable, so a page may add its own fields beside them): ``item_<item code>``,
``raw_<raw key>`` (see :mod:`diagnostics.raw`), ``scene_<scene code>``, ``note_<scene code>``,
``evidence_<scene code>`` (file inputs, only with ``with_files=True``; the page stores them) and
the hidden ``index_edition`` (the edition's code).

Rule: raw numbers, when entered, decide a band or outcome answer; the directly chosen answer is
used only when the raw numbers are left blank (so records entered through the API without raw
numbers still round-trip).
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import percent_of_hundred

from .. import raw as raw_numbers
from ..choices import ItemKind
from ..models import Dimension, Scene
from ..scoring import ScoreInputError, band_option, index_spec, score

OUTCOME_CHOICES = (("better", gettext_lazy("better")), ("same", gettext_lazy("same")), ("worse", gettext_lazy("worse")))
SCENE_LEVELS = (0, 1, 2, 3, 4)


def _record_part(record, name):
    if record is None:
        return {}
    value = record.get(name) if isinstance(record, dict) else getattr(record, name, None)
    return value or {}


def _number_text(value):
    if value is None:
        return ""
    value = Decimal(str(value)).normalize()
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value, "f")


class QuestionnaireForm(forms.Form):
    """The index's questions for one edition; see the module docstring for the API.

    ``initial_record``: anything with ``answers``, ``raw``, ``scenes`` and ``scene_notes``
    (an Assessment, a Diagnosis, or a dict) to start from. ``with_notes`` renders the evidence
    note per scene; ``with_files`` a file input per scene (``evidence_<scene>``).
    """

    index_edition = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, edition, data=None, initial_record=None, *, files=None, with_notes=True, with_files=False, **kwargs
    ):
        super().__init__(data=data, files=files, **kwargs)
        self.edition = edition
        self.spec = index_spec(edition)
        self.with_notes = with_notes
        self.with_files = with_files
        self.fields["index_edition"].initial = edition.code
        self._result = None
        self._derived = {}
        self._details = {}
        self._dimensions = list(
            Dimension.objects.filter(edition=edition).prefetch_related("items__options").order_by("order")
        )
        self._scenes = list(Scene.objects.filter(edition=edition).order_by("order"))
        answers = _record_part(initial_record, "answers")
        raw = _record_part(initial_record, "raw")
        scenes = _record_part(initial_record, "scenes")
        notes = _record_part(initial_record, "scene_notes")
        for dimension in self._dimensions:
            for item in dimension.items.all():
                self.fields[f"item_{item.code}"] = self._item_field(item)
                if item.code in answers:
                    value = answers[item.code]
                    if item.kind == ItemKind.MULTI:
                        value = [str(v) for v in value] if isinstance(value, list) else []
                    elif item.kind == ItemKind.BAND:
                        value = _number_text(value) if isinstance(value, (int, float, str)) else None
                    self.initial[f"item_{item.code}"] = value
                group = raw_numbers.GROUPS_BY_ITEM.get(item.code)
                for field in group.fields if group else ():
                    self.fields[f"raw_{field.key}"] = self._raw_field(field)
                    if field.key in raw:
                        self.initial[f"raw_{field.key}"] = raw[field.key]
        for scene in self._scenes:
            self.fields[f"scene_{scene.code}"] = forms.TypedChoiceField(
                label=scene.name,
                choices=[(level, str(level)) for level in SCENE_LEVELS],
                coerce=int,
                required=False,
                empty_value=0,
            )
            self.initial[f"scene_{scene.code}"] = scenes.get(scene.code, 0)
            if with_notes:
                self.fields[f"note_{scene.code}"] = forms.CharField(
                    label=_("Evidence note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 1})
                )
                self.initial[f"note_{scene.code}"] = notes.get(scene.code, "")

    # --- fields ---------------------------------------------------------------------------

    def _item_field(self, item):
        options = list(item.options.all())
        if item.kind == ItemKind.MULTI:
            return forms.TypedMultipleChoiceField(
                label=item.name,
                choices=[(str(o.number), o.label) for o in options],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if item.kind == ItemKind.SINGLE:
            return forms.TypedChoiceField(
                label=item.name,
                choices=[(str(o.number), o.label) for o in options],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
        if item.kind == ItemKind.OUTCOME:
            labels = {o.code: o.label for o in options}
            return forms.ChoiceField(
                label=item.name,
                choices=[(code, labels.get(code, word)) for code, word in OUTCOME_CHOICES],
                required=False,
                widget=forms.RadioSelect,
            )
        return forms.DecimalField(
            label=item.name,
            help_text=_("Percentage 0–100, only when the counts are not available."),
            min_value=0,
            max_value=100,
            max_digits=9,
            decimal_places=4,
            required=False,
        )

    def _raw_field(self, field):
        label = field.label if not field.unit else f"{field.label} ({field.unit})"
        if field.whole:
            return forms.IntegerField(label=label, min_value=0, required=False)
        return forms.DecimalField(label=label, min_value=0, max_digits=18, decimal_places=4, required=False)

    # --- validation -----------------------------------------------------------------------

    def add_code_error(self, code, messages):
        """Show the messages of an item, scene or raw-number ``code`` on its field (on the form when it has none)."""
        for name in (f"raw_{code}", f"item_{code}", f"scene_{code}"):
            if name in self.fields:
                for message in messages:
                    self.add_error(name, message)
                return
        for message in messages:
            self.add_error(None, message)

    def clean(self):
        cleaned = super().clean()
        raw_given = {
            key: cleaned.get(f"raw_{key}")
            for key in raw_numbers.RAW_FIELDS
            if f"raw_{key}" in self.fields and cleaned.get(f"raw_{key}") is not None
        }
        derived, details, errors = raw_numbers.derive(raw_given)
        for code, messages in errors.items():
            self.add_code_error(code, messages)
        self._derived, self._details = derived, details
        self._raw = raw_numbers.normalise_raw(raw_given) if not errors else {}
        if self.errors:
            return cleaned
        try:
            self._result = score(self.spec, self._answers(cleaned), self._scene_levels(cleaned))
        except ScoreInputError as exc:
            for code, messages in exc.errors.items():
                self.add_code_error(code, messages)
        return cleaned

    def _answers(self, cleaned):
        answers = {}
        for item in self.spec.items:
            name = f"item_{item.code}"
            if name not in self.fields:
                continue
            value = cleaned.get(name)
            if item.kind == ItemKind.MULTI:
                answers[item.code] = sorted(value or [])
            elif item.kind == ItemKind.BAND:
                if value is not None:
                    answers[item.code] = int(value) if value == value.to_integral_value() else float(value)
            elif value not in (None, ""):
                answers[item.code] = value
        answers.update(self._derived)
        return answers

    def _scene_levels(self, cleaned):
        levels = {}
        for scene in self._scenes:
            level = cleaned.get(f"scene_{scene.code}") or 0
            if level:
                levels[scene.code] = level
        return levels

    # --- results (call after is_valid()) --------------------------------------------------

    def answers(self):
        """{item code: answer} in the engine's form; derived answers override the directly chosen ones."""
        return self._answers(self.cleaned_data)

    def raw(self):
        """{raw key: "decimal text"} for the raw numbers entered (blanks left out)."""
        return dict(getattr(self, "_raw", {}))

    def scenes(self):
        """{scene code: level} for the scenes above level 0."""
        return self._scene_levels(self.cleaned_data)

    def scene_notes(self):
        """{scene code: note} for the scenes with an evidence note."""
        if not self.with_notes:
            return {}
        return {
            s.code: self.cleaned_data[f"note_{s.code}"].strip()
            for s in self._scenes
            if (self.cleaned_data.get(f"note_{s.code}") or "").strip()
        }

    def result(self):
        """The engine's ScoreResult (``None`` while the form has errors)."""
        return self._result

    def derived(self):
        """{item code: answer derived from the raw numbers} (after validation)."""
        return dict(self._derived)

    def evidence_files(self):
        """{scene code: [uploaded files]} (with ``with_files``)."""
        if not self.with_files or not self.files:
            return {}
        found = {}
        for scene in self._scenes:
            uploads = self.files.getlist(f"evidence_{scene.code}") if hasattr(self.files, "getlist") else []
            if uploads:
                found[scene.code] = uploads
        return found

    # --- rendering ------------------------------------------------------------------------

    def _current(self, name):
        bound = self[name]
        return bound.value()

    def score_card(self):
        """What the score card shows: the result (or ``None``) and the errors, labelled."""
        errors = []
        if self.is_bound:
            for name, messages in self.errors.items():
                label = self.fields[name].label if name in self.fields else ""
                errors.append({"field": name, "label": label, "messages": list(messages)})
        result = self._result if self.is_bound else self.initial_result()
        return {"result": result, "errors": errors, "dimensions": self.dimension_names(), "spec": self.spec}

    def dimension_names(self):
        return {d.code: d.name for d in self._dimensions if d.scored}

    def derived_display(self):
        """{item code: text} describing each derived answer, for the page and the out-of-band swaps."""
        texts = {}
        for code, value in self._derived.items():
            item = self.spec.items_by_code.get(code)
            if item is None:
                continue
            if item.kind == ItemKind.BAND:
                texts[code] = _("{value} → {band}").format(
                    value=percent_of_hundred(value), band=_band_label(item, Decimal(str(value)))
                )
            else:
                label = next((o.label for o in item.options if o.code == value), value)
                texts[code] = _("{word} ({label})").format(word=dict(OUTCOME_CHOICES)[value], label=label)
        return texts

    def groups(self):
        """The questionnaire laid out for the template: dimensions → secondary indicators → items; scene groups."""
        derived = self.derived_display() if self.is_bound else self._initial_derived_display()
        dimensions = []
        for dimension in self._dimensions:
            if not dimension.scored:
                continue
            secondaries = []
            for item in dimension.items.all():
                name = f"item_{item.code}"
                current = self._current(name)
                options = []
                for o in item.options.all():
                    if item.kind == ItemKind.MULTI:
                        chosen = [str(v) for v in (current or [])]
                        checked = str(o.number) in chosen
                        value = str(o.number)
                    elif item.kind == ItemKind.OUTCOME:
                        checked = current == o.code
                        value = o.code
                    else:
                        checked = current is not None and str(current) == str(o.number)
                        value = str(o.number)
                    options.append(
                        {"value": value, "label": o.label, "points": o.points, "checked": checked, "option": o}
                    )
                group = raw_numbers.GROUPS_BY_ITEM.get(item.code)
                entry = {
                    "item": item,
                    "field": self[name],
                    "options": options,
                    "raw_fields": [self[f"raw_{f.key}"] for f in group.fields] if group else [],
                    "raw_explanation": group.explanation if group else "",
                    "derived": derived.get(item.code, ""),
                }
                if secondaries and secondaries[-1]["name"] == item.secondary:
                    secondaries[-1]["items"].append(entry)
                else:
                    secondaries.append({"name": item.secondary, "items": [entry]})
            dimensions.append({"dimension": dimension, "secondaries": secondaries})
        scene_groups = []
        for scene in self._scenes:
            current = self._current(f"scene_{scene.code}")
            entry = {
                "scene": scene,
                "field": self[f"scene_{scene.code}"],
                "level": int(str(current or 0)) if str(current or 0).isdigit() else 0,
                "levels": [
                    {"value": level, "text": scene.level_descriptions.get(str(level), "") if level else _("none")}
                    for level in SCENE_LEVELS
                ],
                "note": self[f"note_{scene.code}"] if self.with_notes else None,
                "file_name": f"evidence_{scene.code}",
            }
            if scene_groups and scene_groups[-1]["name"] == scene.group:
                scene_groups[-1]["scenes"].append(entry)
            else:
                scene_groups.append({"name": scene.group, "scenes": [entry]})
        return {"dimensions": dimensions, "scene_groups": scene_groups}

    def _initial_derived_display(self):
        given = {
            k: self.initial.get(f"raw_{k}") for k in raw_numbers.RAW_FIELDS if self.initial.get(f"raw_{k}") is not None
        }
        self._derived, _details, _errors = raw_numbers.derive(given)
        return self.derived_display()

    def initial_result(self):
        """The score of the initial record (unbound form), for the first render of the card."""
        answers = {}
        for item in self.spec.items:
            value = self.initial.get(f"item_{item.code}")
            if value in (None, ""):
                continue
            if item.kind == ItemKind.MULTI:
                answers[item.code] = sorted(int(v) for v in value)
            elif item.kind == ItemKind.SINGLE:
                answers[item.code] = int(value)
            elif item.kind == ItemKind.BAND:
                number = Decimal(str(value))
                answers[item.code] = int(number) if number == number.to_integral_value() else float(number)
            else:
                answers[item.code] = value
        given = {
            k: self.initial.get(f"raw_{k}") for k in raw_numbers.RAW_FIELDS if self.initial.get(f"raw_{k}") is not None
        }
        derived, _details, errors = raw_numbers.derive(given)
        answers.update(derived)
        scenes = {s.code: self.initial.get(f"scene_{s.code}") or 0 for s in self._scenes}
        try:
            return score(self.spec, answers, scenes)
        except ScoreInputError:
            return None


def _band_label(item, value):
    return band_option(item, value).label
