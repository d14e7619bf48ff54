from django import forms
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import Sector
from reliefops.core.forms import DateInput
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea


class PresenceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=AdminArea.objects.none())
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    activity = forms.CharField(label=_("Activity"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Since"), required=False, widget=DateInput())

    def __init__(self, *args, areas=None, organisations=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
