"""The forms of the inquiry admin: the inquiry's page and the "assign to" action."""

from django import forms
from django.core.exceptions import ValidationError

from inquiries import selectors
from inquiries.models import ActivityKind, Inquiry, Outcome, Status
from inquiries.services import timeline, workflow

WORKFLOW_FIELDS = ["status", "closed_reason", "owner", "next_follow_up_at"]
ENTRY_FIELDS = ["entry_kind", "outcome", "entry_body"]


class InquiryAdminForm(forms.ModelForm):
    """The workflow fields, plus an optional timeline entry saved with them.

    The workflow's rules are checked by services.workflow.validate_update, so that a refusal
    shows beside its field rather than after the save has begun.
    """

    entry_kind = forms.ChoiceField(
        label="Entry type",
        choices=[(kind.value, kind.label) for kind in timeline.STAFF_ENTRY_KINDS],
        initial=ActivityKind.NOTE,
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "—"), *Outcome.choices],
        required=False,
        help_text="Needed for a call, email or text. Only a connected call or a reply marks "
        "a new inquiry contacted; a voicemail is an attempt.",
    )
    entry_body = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Saved to the timeline with your name and the time.",
    )

    # Set by InquiryAdmin.get_form: the person editing.
    request_user = None

    class Meta:
        model = Inquiry
        fields = WORKFLOW_FIELDS

    def workflow_changes(self) -> dict:
        """The workflow fields this save changes, with their new values."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in WORKFLOW_FIELDS and name in self.cleaned_data
        }

    def clean(self):
        data = super().clean()
        if "closed_reason" in data and data.get("status", self.instance.status) != Status.CLOSED:
            # Only a closed inquiry keeps its reason (the model's constraint is checked next).
            data["closed_reason"] = ""
        try:
            workflow.validate_update(
                inquiry=self.instance,
                changes=self.workflow_changes(),
                by=self.request_user,
                entry_kind=data.get("entry_kind", ""),
                entry_body=data.get("entry_body", ""),
                outcome=data.get("outcome", ""),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label="Assign to", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.assignable_staff()
        self.fields["owner"].label_from_instance = selectors.staff_name
