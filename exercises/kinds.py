"""The kinds of exercise step, one class each (as Django's form fields and
Wagtail's StreamField blocks are): what a step of that kind asks in its form,
the value it stores on Response.value, how a saved answer is shown (the
template `exercises/kinds/<kind>.html`) and written as plain text, which
settings a module file may give it and how they are checked, whether it counts
in the progress bars, and what else saving an answer does.

`step.type` is the kind of one step; KINDS maps each StepKind value to its
class (the app keeps it as ExercisesConfig.kinds, so the models need not
import this module, which builds on them). A new kind is a new class here, added to KINDS,
and its template.

The stored values keep the shapes answers have always had, so every saved row
still reads: {"read": true}, {"text"}, {"number"}, {"choices": [...]},
{"items": [...]}, {"weekday", "time"}; commitment and agreement steps also
keep the code of what they created.
"""

import datetime

from django import forms

from exercises.forms import too_long
from exercises.models import Agreement as AgreementRecord
from exercises.models import AgreementKind, AgreementRevision, Response, RevisionStatus, StepKind, Who
from exercises.models import Commitment as CommitmentRecord
from trustwork.couples.models import Relationship, Weekday
from trustwork.couples.services import set_rhythm


class Kind:
    """A step of one kind. Class attributes say what holds for every step of
    the kind; the methods work on `self.step` and its settings (`self.config`).
    The defaults fit a kind that asks for an answer and stores nothing else."""

    name: str  # its StepKind value
    config_keys: frozenset[str] = frozenset()  # settings a module file may give
    asks_for_answer = True  # False: there is nothing to write, show or keep private
    always_revealed_together = False
    counts_in_progress = True
    has_note = False  # its template has a "note" partial, shown above the form

    def __init__(self, step):
        self.step = step
        self.config = step.config

    def __repr__(self):
        return f"<{type(self).__name__} kind of {self.step}>"

    # --- The module file (exercises/loader.py) ------------------------------------

    @classmethod
    def read_config(cls, check, table) -> dict:
        """The settings of a step, checked with the loader's `check` (which
        fails naming the file, exercise and step), as stored on Step.config."""
        return {}

    # --- The form (exercises/forms.py AnswerForm) ----------------------------------

    def form_fields(self) -> dict[str, forms.Field]:
        return {}

    def to_value(self, data: dict) -> dict:
        """The JSON kept on Response.value, from the form's cleaned data."""
        raise NotImplementedError

    def initial(self, value: dict) -> dict:
        """A saved answer put back in the form, so it can be changed."""
        return {}

    # --- Showing an answer -----------------------------------------------------------

    @property
    def template(self) -> str:
        return f"exercises/kinds/{self.name}.html"

    @property
    def note_template(self) -> str | None:
        return f"{self.template}#note" if self.has_note else None

    def as_text(self, value: dict) -> str:
        """The answer as plain text (the therapist's page of a couple)."""
        return ""

    # --- Saving (exercises/services.py save_answer, in its transaction) -------------

    def before_save(self, user, relationship, value: dict, previous: dict) -> dict:
        """The value to store. `previous` is the value saved before, if any."""
        return value

    def after_save(self, user, relationship) -> None:
        """Runs once the answer is saved, for what needs every answer to it."""


class Read(Kind):
    name = StepKind.READ
    asks_for_answer = False

    def to_value(self, data):
        return {"read": True}


def _text_errors(required: str, limit: int) -> dict:
    return {"required": required, "max_length": too_long(limit)}


class Text(Kind):
    name = StepKind.TEXT
    config_keys = frozenset({"max_length"})

    @classmethod
    def read_config(cls, check, table):
        return {"max_length": check.integer(table, "max_length", 1, 20_000, required=False, default=5000)}

    @property
    def max_length(self) -> int:
        return self.config.get("max_length", 5000)

    def form_fields(self):
        return {
            "text": forms.CharField(
                label=self.step.prompt,
                max_length=self.max_length,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages=_text_errors(
                    "Write a few words before you save, or go back to the exercise and return later.",
                    self.max_length,
                ),
            )
        }

    def to_value(self, data):
        return {"text": data["text"]}

    def initial(self, value):
        return {"text": value["text"]} if "text" in value else {}

    def as_text(self, value):
        return value.get("text") or ""


class JointReveal(Text):
    """Written alone, then shown to both partners once both have answered."""

    name = StepKind.JOINT_REVEAL
    config_keys = frozenset()
    always_revealed_together = True

    @classmethod
    def read_config(cls, check, table):
        return {"max_length": 5000}


class Commitment(Text):
    """One plain sentence that also goes into the commitment tracker."""

    name = StepKind.COMMITMENT
    config_keys = frozenset({"examples"})
    has_note = True

    @classmethod
    def read_config(cls, check, table):
        return {"examples": check.text_list(table, "examples", 1, 12, required=False), "max_length": 200}

    def form_fields(self):
        return {
            "text": forms.CharField(
                label=self.step.prompt,
                max_length=self.max_length,
                error_messages=_text_errors(
                    "Write your commitment as one plain sentence before you save.", self.max_length
                ),
            )
        }

    def before_save(self, user, relationship, value, previous):
        """The commitment goes into the tracker, or its wording changes there."""
        commitment = None
        if previous.get("commitment"):
            commitment = CommitmentRecord.objects.filter(
                relationship=relationship, author=user, code=previous["commitment"]
            ).first()
        if commitment is None:
            commitment = CommitmentRecord.objects.create(
                relationship=relationship, author=user, text=value["text"], visibility=self.step.visibility
            )
        elif commitment.text != value["text"]:
            commitment.text = value["text"]
            commitment.save(update_fields=["text"])
        value["commitment"] = str(commitment.code)
        return value


class Agreement(Text):
    """A proposed expectation or boundary that goes to the couple's agreements,
    where the partner can accept it or ask for a change."""

    name = StepKind.AGREEMENT
    config_keys = frozenset({"examples"})
    has_note = True

    @classmethod
    def read_config(cls, check, table):
        return {"examples": check.text_list(table, "examples", 1, 12, required=False), "max_length": 300}

    def form_fields(self):
        return {
            "text": forms.CharField(
                label=self.step.prompt,
                max_length=self.max_length,
                error_messages=_text_errors("Write your proposal as one sentence before you save.", self.max_length),
            ),
            "agreement_kind": forms.ChoiceField(
                label="Is this an expectation or a boundary?",
                choices=AgreementKind.choices,
                widget=forms.RadioSelect,
                initial=AgreementKind.BOUNDARY if "boundary" in self.step.key else AgreementKind.EXPECTATION,
                error_messages={"required": "Choose whether this is an expectation or a boundary."},
            ),
        }

    def to_value(self, data):
        return {"text": data["text"], "agreement_kind": data["agreement_kind"]}

    def initial(self, value):
        return {key: value[key] for key in ("text", "agreement_kind") if key in value}

    def before_save(self, user, relationship, value, previous):
        """The proposal goes to the couple's agreements, or its wording changes there."""
        agreement = None
        if previous.get("agreement"):
            agreement = AgreementRecord.objects.filter(relationship=relationship, code=previous["agreement"]).first()
        if agreement is None:
            agreement = AgreementRecord.objects.create(relationship=relationship, kind=value["agreement_kind"])
            AgreementRevision.objects.create(agreement=agreement, text=value["text"], proposed_by=user)
        else:
            agreement.kind = value["agreement_kind"]
            agreement.save(update_fields=["kind"])
            latest = agreement.revisions.order_by("-proposed_at", "-pk").first()
            if latest and latest.text == value["text"]:
                pass
            elif latest and latest.status == RevisionStatus.PROPOSED and latest.proposed_by_id == user.pk:
                latest.text = value["text"]
                latest.save(update_fields=["text"])
            else:
                agreement.propose(user, value["text"])
        value["agreement"] = str(agreement.code)
        return value


class Scale(Kind):
    name = StepKind.SCALE
    config_keys = frozenset({"min", "max", "min_label", "max_label"})

    @classmethod
    def read_config(cls, check, table):
        config = {"min": check.integer(table, "min", 0, 100), "max": check.integer(table, "max", 1, 100)}
        if config["max"] <= config["min"]:
            check.fail("'max' must be greater than 'min'")
        config["min_label"] = check.text(table, "min_label", limit=80)
        config["max_label"] = check.text(table, "max_label", limit=80)
        return config

    def form_fields(self):
        low, high = self.config["min"], self.config["max"]
        return {
            "number": forms.TypedChoiceField(
                label=self.step.prompt,
                choices=[(n, str(n)) for n in range(low, high + 1)],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale-option"}),
                help_text=f"{low} means “{self.config['min_label']}”, {high} means “{self.config['max_label']}”.",
                error_messages={
                    "required": f"Choose a number from {low} to {high}.",
                    "invalid_choice": f"Choose a number from {low} to {high}.",
                },
            )
        }

    def to_value(self, data):
        return {"number": data["number"]}

    def initial(self, value):
        return {"number": value["number"]} if "number" in value else {}

    def as_text(self, value):
        return "" if value.get("number") is None else str(value["number"])


class Choice(Kind):
    name = StepKind.CHOICE
    config_keys = frozenset({"options", "multiple"})

    @classmethod
    def read_config(cls, check, table):
        options = check.text_list(table, "options", 2, 8)
        multiple = table.get("multiple", False)
        if not isinstance(multiple, bool):
            check.fail("'multiple' must be true or false")
        return {"options": options, "multiple": multiple}

    @property
    def options(self) -> list[str]:
        return self.config.get("options", [])

    @property
    def multiple(self) -> bool:
        return bool(self.config.get("multiple", False))

    def form_fields(self):
        choices = [(option, option) for option in self.options]
        if self.multiple:
            field = forms.MultipleChoiceField(
                label=self.step.prompt,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="Tick as many as fit.",
                error_messages={
                    "required": "Tick at least one answer.",
                    "invalid_choice": "Please choose from the answers listed.",
                },
            )
        else:
            field = forms.ChoiceField(
                label=self.step.prompt,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose one answer.",
                    "invalid_choice": "Please choose from the answers listed.",
                },
            )
        return {"choices": field}

    def to_value(self, data):
        # Stored as a list either way, so a step that later allows several
        # answers still reads the old ones.
        chosen = data["choices"]
        return {"choices": list(chosen) if self.multiple else [chosen]}

    def initial(self, value):
        chosen = value.get("choices", [])
        return {"choices": chosen if self.multiple else (chosen[0] if chosen else None)}

    def as_text(self, value):
        return ", ".join(str(choice) for choice in value.get("choices") or [])


class Checklist(Kind):
    name = StepKind.CHECKLIST
    config_keys = frozenset({"items"})

    @classmethod
    def read_config(cls, check, table):
        return {"items": check.text_list(table, "items", 2, 12)}

    @property
    def items(self) -> list[str]:
        return self.config.get("items", [])

    def form_fields(self):
        return {
            "items": forms.MultipleChoiceField(
                label=self.step.prompt,
                choices=[(item, item) for item in self.items],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="Leaving some unticked is fine.",
                error_messages={"invalid_choice": "Please tick only the items listed."},
            )
        }

    def to_value(self, data):
        return {"items": list(data["items"])}

    def initial(self, value):
        return {"items": value["items"]} if "items" in value else {}

    def as_text(self, value):
        return ", ".join(str(item) for item in value.get("items") or [])


class Schedule(Kind):
    """A day of the week and a time; answered together, the couple's weekly
    check-in follows it once both chose the same."""

    name = StepKind.SCHEDULE

    def form_fields(self):
        return {
            "weekday": forms.TypedChoiceField(
                label="Day",
                choices=Weekday.choices,
                coerce=int,
                error_messages={"required": "Choose a day.", "invalid_choice": "Choose a day of the week."},
            ),
            "time": forms.TimeField(
                label="Time",
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                error_messages={"required": "Choose a time.", "invalid": "Enter a time such as 19:30."},
            ),
        }

    def to_value(self, data):
        return {"weekday": data["weekday"], "time": data["time"].strftime("%H:%M")}

    def initial(self, value):
        return {"weekday": value.get("weekday"), "time": value.get("time")}

    def as_text(self, value):
        if "weekday" not in value:
            return ""
        try:
            day = Weekday(int(value["weekday"])).label
        except (TypeError, ValueError):
            day = ""
        return f"{day} at {value.get('time', '')}".strip()

    def after_save(self, user, relationship):
        """When both partners chose the same day and time, the weekly check-in follows it."""
        if self.step.who != Who.TOGETHER:
            return
        values = list(
            Response.objects.filter(relationship=relationship, step_id=self.step.pk).values_list("value", flat=True)
        )
        if len(values) != 2 or values[0] != values[1]:
            return
        hour, minute = (int(part) for part in values[0]["time"].split(":"))
        # The step chooses a day and a time; the couple's zone stays as it is.
        zone = Relationship.objects.values_list("time_zone", flat=True).get(pk=relationship.pk)
        set_rhythm(relationship, weekday=values[0]["weekday"], time=datetime.time(hour, minute), zone=zone)


KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (Read, Text, Scale, Choice, Checklist, Commitment, Agreement, JointReveal, Schedule)
}
