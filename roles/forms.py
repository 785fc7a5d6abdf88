from django import forms
from django.utils.translation import gettext_lazy as _

from roles.selectors import MAX_COMPARED


class ComparisonPickForm(forms.Form):
    """The /compare/ picker: two or three published careers, sent by a plain GET."""

    careers = forms.MultipleChoiceField(
        label=_("Careers to compare"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose two or three careers to compare."),
            "invalid_choice": _("One of the careers you chose is not available. Choose again."),
        },
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = list(roles)
        self.fields["careers"].choices = [(role.slug, role.name) for role in self.roles]

    def clean_careers(self):
        chosen = list(dict.fromkeys(self.cleaned_data["careers"]))
        if not 2 <= len(chosen) <= MAX_COMPARED:
            raise forms.ValidationError(
                _("Choose two or three careers to compare (you chose %(count)d)."),
                code="count",
                params={"count": len(chosen)},
            )
        return chosen

    def chosen_roles(self):
        chosen = set(self.cleaned_data["careers"])
        return [role for role in self.roles if role.slug in chosen]
