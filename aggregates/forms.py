"""Forms of the pages: shape and types only; the rules and Nova's messages come from services."""

from django import forms

from aggregates.choices import CloudKind, HostStatus
from dashboard.datetimes import UtcDateTimeField


class CloudForm(forms.Form):
    slug = forms.SlugField(max_length=50)
    name = forms.CharField(max_length=100)
    region = forms.CharField(max_length=100, required=False)
    kind = forms.ChoiceField(choices=CloudKind.choices, initial=CloudKind.LOCAL)
    os_cloud = forms.CharField(
        max_length=255,
        required=False,
        label="clouds.yaml entry",
        help_text="Connected clouds only: the name of the entry holding its credentials.",
    )
    default_availability_zone = forms.CharField(max_length=255, initial="nova", strip=False)


class HostForm(forms.Form):
    name = forms.CharField(strip=False, help_text="The nova-compute service host name.")
    vcpus = forms.IntegerField(min_value=1)
    memory_mb = forms.IntegerField(min_value=1, label="Memory (MB)")
    local_gb = forms.IntegerField(min_value=0, label="Local disk (GB)")
    reserved_host_memory_mb = forms.IntegerField(
        min_value=0, required=False, help_text="Blank: the cloud's setting (Nova: 512)."
    )
    cpu_allocation_ratio = forms.FloatField(required=False, help_text="Blank: the cloud's setting.")
    status = forms.ChoiceField(choices=HostStatus.choices, initial=HostStatus.ENABLED)


class AggregateForm(forms.Form):
    """Create (name, optional zone) and update (rename; a zone can change but not be removed)."""

    name = forms.CharField(strip=False)
    availability_zone = forms.CharField(
        required=False,
        strip=False,
        help_text="Optional. With a zone, this aggregate is that availability zone.",
    )


class MetadataForm(forms.Form):
    """One key of set_metadata: a value sets it, `delete` removes it (Nova's null)."""

    key = forms.CharField(strip=False)
    value = forms.CharField(required=False, strip=False)
    delete = forms.BooleanField(required=False)

    def metadata(self) -> dict[str, str | None]:
        data = self.cleaned_data
        return {data["key"]: None if data["delete"] else data["value"]}


class HostRefForm(forms.Form):
    host = forms.CharField(strip=False)


class FlavorForm(forms.Form):
    flavor_id = forms.CharField(
        required=False, strip=False, label="ID", help_text="Blank: a UUID is generated."
    )
    name = forms.CharField(strip=False)
    vcpus = forms.IntegerField(min_value=1, label="vCPUs")
    ram = forms.IntegerField(min_value=1, label="RAM (MB)")
    disk = forms.IntegerField(min_value=0, initial=0, required=False, label="Root disk (GB)")
    ephemeral = forms.IntegerField(min_value=0, initial=0, required=False, label="Ephemeral (GB)")
    swap = forms.IntegerField(min_value=0, initial=0, required=False, label="Swap (MB)")
    rxtx_factor = forms.FloatField(initial=1.0, required=False)
    is_public = forms.BooleanField(required=False, initial=True, label="Public")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        for name, default in (("disk", 0), ("ephemeral", 0), ("swap", 0), ("rxtx_factor", 1.0)):
            if data.get(name) is None and name not in self.errors:
                data[name] = default  # blank: Nova's default
        return data


class ExtraSpecForm(forms.Form):
    key = forms.CharField(strip=False)
    value = forms.CharField(required=False, strip=False)


class AccessForm(forms.Form):
    tenant = forms.CharField(label="Project id", strip=False)


class UtilisationQueryForm(forms.Form):
    """Query-string shape of the utilisation tables, charts and API (level, series, window)."""

    LEVELS = [("host", "Host"), ("aggregate", "Aggregate")]
    LEVELS += [("availability_zone", "Availability zone"), ("cloud", "Cloud")]
    RESOLUTIONS = [("", "All (raw, then hourly, then daily)"), ("raw", "Raw")]
    RESOLUTIONS += [("hourly", "Hourly"), ("daily", "Daily")]

    level = forms.ChoiceField(choices=LEVELS, required=False)
    name = forms.CharField(max_length=255, required=False)
    start = UtcDateTimeField(required=False)
    end = UtcDateTimeField(required=False)
    resolution = forms.ChoiceField(choices=RESOLUTIONS, required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end must be after the start.")
        return data


class FlavorChoiceForm(forms.Form):
    """The flavor (Nova's flavor id) whose slots the capacity page and API count."""

    flavor = forms.CharField(max_length=255)
