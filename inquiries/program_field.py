from django import forms


class ProgramChoiceField(forms.ModelChoiceField):
    """A choice among the programs the form has already read (`loaded`, by primary key as
    text), so that checking the one sent costs no second query."""

    loaded: dict = {}

    def to_python(self, value):
        if value not in self.empty_values and str(value) in self.loaded:
            return self.loaded[str(value)]
        return super().to_python(value)
