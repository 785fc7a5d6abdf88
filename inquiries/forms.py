"""The public request-info form: what a prospect types, checked so that a person understands
every message, plus the quiet checks (honeypot, fill time) that keep bots out of the queue.
"""

import json
from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inquiries.attribution import ATTRIBUTION_FIELDS, Attribution
from inquiries.cleaning import clean_attribution_value, local_path_or_empty
from inquiries.consent_wording import consent_text, consent_version  # noqa: F401 (re-exported)
from inquiries.form_fields import (
    MultilineField,
    ProspectForm,
    bot_checks,
    campus_mismatch_message,
    check_control_characters,
    half_width_row,
    length_messages,
    phone_field,
)
from inquiries.models import ContactMethod, StartTimeframe
from inquiries.program_field import ProgramChoiceField
from inquiries.services.capture import Submission
from programs.models import Campus, Program

MESSAGE_MAX_LENGTH = 2000


def offered_programs() -> list[Program]:
    """The programs the form offers, each with its active campuses (`active_campuses`)."""
    return list(
        Program.objects.published().prefetch_related(
            Prefetch(
                "campuses",
                queryset=Campus.objects.filter(is_active=True).order_by("order", "name"),
                to_attr="active_campuses",
            )
        )
    )


class ProgramSelect(forms.Select):
    """Program choices that carry their campuses, so a script can fill the campus list."""

    campuses_by_program: dict = {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        campuses = self.campuses_by_program.get(str(getattr(value, "value", value)), [])
        if len(campuses) > 1:
            option["attrs"]["data-campuses"] = json.dumps(campuses)
        return option


class RequestInfoForm(ProspectForm):
    phone = phone_field(help_text=_("Needed if you would like a call or a text message."))
    program = ProgramChoiceField(
        label=_("Program of interest"),
        queryset=Program.objects.none(),
        empty_label=_("Choose a program"),
        error_messages={
            "required": _("Choose the program you would like to hear about."),
            "invalid_choice": _("Choose one of the programs in the list."),
        },
        widget=ProgramSelect,
    )
    campus = forms.CharField(
        label=_("Campus"),
        required=False,
        help_text=_("Where you would like to study; leave it if you are not sure."),
        widget=forms.Select,
    )
    start_timeframe = forms.ChoiceField(
        label=_("When would you like to start?"),
        required=False,
        choices=[("", _("Choose one (optional)")), *StartTimeframe.choices],
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=ContactMethod.choices,
        initial=ContactMethod.EMAIL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you would like us to contact you."),
            "invalid_choice": _("Choose email, a phone call or a text message."),
        },
    )
    message = MultilineField(
        label=_("Your questions (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        error_messages=length_messages(_("Enter your message.")),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    source_page = forms.CharField(required=False, widget=forms.HiddenInput)
    referrer = forms.CharField(required=False, widget=forms.HiddenInput)
    utm_source = forms.CharField(required=False, widget=forms.HiddenInput)
    utm_medium = forms.CharField(required=False, widget=forms.HiddenInput)
    utm_campaign = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "postal_code",
        "program",
        "campus",
        "start_timeframe",
        "contact_method",
        "message",
    ]

    def __init__(self, *args, programs: list[Program] | None = None, **kwargs):
        """`programs`: `offered_programs()` as read earlier under the same content, if the
        caller keeps it; read here otherwise."""
        super().__init__(*args, **kwargs)
        if programs is None:
            programs = offered_programs()
        self.programs_by_pk = {str(program.pk): program for program in programs}
        program_field = self.fields["program"]
        program_field.queryset = Program.objects.published()
        program_field.loaded = self.programs_by_pk
        program_field.required = bool(programs)
        program_field.widget.campuses_by_program = {
            pk: [[campus.pk, campus.name] for campus in program.active_campuses]
            for pk, program in self.programs_by_pk.items()
        }

        self.current_program = self._current_program()
        campus_choices = self._campus_choices()
        self.show_campus = bool(campus_choices)
        self.fields["campus"].widget.choices = [("", gettext("No preference")), *campus_choices]

    def _current_program(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("program"))
        else:
            value = self.initial.get("program", self.fields["program"].initial)
            value = getattr(value, "pk", value)
        return self.programs_by_pk.get(str(value)) if value not in (None, "") else None

    def _campus_choices(self) -> list:
        """The campuses to offer, none when there is nothing to choose.

        With a program chosen, its campuses when it has more than one. Otherwise every
        program's campuses, grouped by program, for visitors without JavaScript (the script
        narrows the list to the chosen program's): while no program is chosen, and when the
        campus sent does not teach the chosen program, so that either can be changed.
        """
        program = self.current_program
        sent = (self.data.get(self.add_prefix("campus")) or "") if self.is_bound else ""
        if program is not None:
            options = [(str(campus.pk), campus.name) for campus in program.active_campuses]
            if not sent or sent in dict(options):
                return options if len(options) > 1 else []
        elif not any(len(other.active_campuses) > 1 for other in self.programs_by_pk.values()):
            return []
        return [
            (other.name, [(str(campus.pk), campus.name) for campus in other.active_campuses])
            for other in self.programs_by_pk.values()
            if other.active_campuses
        ]

    @cached_property
    def helper(self) -> FormHelper:
        """How crispy-forms lays the form out; built only when the form is shown."""
        helper = FormHelper(self)
        helper.form_method = "post"
        helper.form_action = reverse("inquiries:request-info")
        helper.form_id = "request-info-form"
        helper.attrs = {"novalidate": True}
        helper.layout = Layout(
            half_width_row("first_name", "last_name"),
            half_width_row("email", "phone"),
            half_width_row("postal_code"),
            "program",
            Div("campus", css_id="campus-field", hidden=not self.show_campus),
            "start_timeframe",
            "contact_method",
            "message",
            "consent",
            *bot_checks(),
            *ATTRIBUTION_FIELDS,
            Submit("send", gettext("Send my request"), css_class="btn-lg"),
        )
        return helper

    def clean_message(self):
        return check_control_characters(self.cleaned_data["message"], allow_newlines=True)

    def clean(self):
        cleaned = super().clean()
        for name in ATTRIBUTION_FIELDS:
            cleaned[name] = clean_attribution_value(name, cleaned.get(name, ""))
        cleaned["source_page"] = local_path_or_empty(cleaned["source_page"])

        program = cleaned.get("program")
        campus_value = cleaned.get("campus") or ""
        cleaned["campus"] = None
        if program is not None:
            campuses = self.programs_by_pk[str(program.pk)].active_campuses
            chosen = [campus for campus in campuses if str(campus.pk) == campus_value]
            if chosen:
                cleaned["campus"] = chosen[0]
            elif campus_value:
                # Without JavaScript the list offers every program's campuses.
                self.add_error("campus", campus_mismatch_message(campuses))
            elif len(campuses) == 1:
                cleaned["campus"] = campuses[0]

        method = cleaned.get("contact_method")
        if method in (ContactMethod.PHONE, ContactMethod.TEXT):
            calls = method == ContactMethod.PHONE
            if "phone" in cleaned and not cleaned["phone"]:
                self.add_error(
                    "phone",
                    gettext("Enter your phone number so that we can call you.")
                    if calls
                    else gettext("Enter your phone number so that we can text you."),
                )
            if not cleaned.get("consent"):
                self.add_error(
                    "consent",
                    gettext(
                        "Check this box so that we may call you, or choose email as the way "
                        "to contact you."
                    )
                    if calls
                    else gettext(
                        "Check this box so that we may text you, or choose email as the way "
                        "to contact you."
                    ),
                )
        return cleaned

    @property
    def attribution(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in ATTRIBUTION_FIELDS}

    def submission(self, *, language: str = "") -> Submission:
        """What the prospect sent, for services.capture.record_inquiry (a valid form only);
        `language` is the form page's."""
        data = self.cleaned_data
        return Submission(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            postal_code=data["postal_code"],
            program=data["program"],
            campus=data["campus"],
            start_timeframe=data["start_timeframe"],
            contact_method=data["contact_method"],
            message=data["message"],
            consent=bool(data["consent"]),
            attribution=Attribution(**self.attribution),
            language=language,
        )

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, label, message) for each error, in the order the fields appear."""
        items = []
        for name, field in self.fields.items():
            bound = self[name]
            if not bound.errors or bound.is_hidden:
                continue
            anchor = bound.id_for_label or f"{bound.auto_id}_0"
            label = gettext("Consent to calls and texts") if name == "consent" else field.label
            items.extend((anchor, label, message) for message in bound.errors)
        return items
