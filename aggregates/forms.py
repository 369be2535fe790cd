"""Forms of the pages: shape and types only; the rules and Nova's messages come from services."""

import json

from django import forms

from aggregates import preview
from aggregates.choices import CloudKind, GroupPolicy, HostStatus
from aggregates.scheduling import FlavorSpec
from dashboard.datetimes import UtcDateTimeField
from dashboard.ranges import NamedRanges


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


class CloudUpdateForm(forms.Form):
    """What can change of a cloud; its slug is its address and its kind what it is."""

    name = forms.CharField(max_length=100)
    region = forms.CharField(max_length=100, required=False)
    default_availability_zone = forms.CharField(max_length=255, strip=False)


class HostStatusForm(forms.Form):
    """Horizon's "Disable Service": an optional reason (Nova: 1–255 characters)."""

    disabled_reason = forms.CharField(
        max_length=255, required=False, label="Reason", help_text="Optional, e.g. maintenance."
    )


class HostUpdateForm(NamedRanges, forms.Form):
    """A local cloud's host: name, totals and what the scheduler reads of it."""

    name = forms.CharField(strip=False, help_text="The nova-compute service host name.")
    vcpus = forms.IntegerField(min_value=1, label="vCPUs")
    memory_mb = forms.IntegerField(min_value=1, label="Memory (MB)")
    local_gb = forms.IntegerField(min_value=0, label="Local disk (GB)")
    reserved_host_memory_mb = forms.IntegerField(min_value=0, label="Reserved memory (MB)")
    cpu_allocation_ratio = forms.FloatField(label="CPU allocation ratio")
    ram_allocation_ratio = forms.FloatField(label="RAM allocation ratio")
    disk_allocation_ratio = forms.FloatField(label="Disk allocation ratio")


class HostForm(NamedRanges, forms.Form):
    name = forms.CharField(strip=False, help_text="The nova-compute service host name.")
    vcpus = forms.IntegerField(min_value=1, label="vCPUs")
    memory_mb = forms.IntegerField(min_value=1, label="Memory (MB)")
    local_gb = forms.IntegerField(min_value=0, label="Local disk (GB)")
    reserved_host_memory_mb = forms.IntegerField(
        min_value=0,
        required=False,
        label="Reserved host memory (MB)",
        help_text="Blank: the cloud's setting (Nova: 512).",
    )
    cpu_allocation_ratio = forms.FloatField(
        required=False, label="CPU allocation ratio", help_text="Blank: the cloud's setting."
    )
    status = forms.ChoiceField(choices=HostStatus.choices, initial=HostStatus.ENABLED)


class ServerGroupForm(NamedRanges, forms.Form):
    name = forms.CharField(strip=False, max_length=255)
    policy = forms.ChoiceField(choices=GroupPolicy.choices)
    project_id = forms.CharField(strip=False, max_length=255, label="Project")
    max_server_per_host = forms.IntegerField(
        min_value=1, required=False, help_text="Anti-affinity only (Nova 2.64+); blank: 1."
    )


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


class FlavorForm(NamedRanges, forms.Form):
    flavor_id = forms.CharField(
        required=False, strip=False, label="ID", help_text="Blank: a UUID is generated."
    )
    name = forms.CharField(strip=False)
    vcpus = forms.IntegerField(min_value=1, label="vCPUs")
    ram = forms.IntegerField(min_value=1, label="RAM (MB)")
    disk = forms.IntegerField(min_value=0, initial=0, required=False, label="Root disk (GB)")
    ephemeral = forms.IntegerField(min_value=0, initial=0, required=False, label="Ephemeral (GB)")
    swap = forms.IntegerField(min_value=0, initial=0, required=False, label="Swap (MB)")
    rxtx_factor = forms.FloatField(initial=1.0, required=False, label="RX/TX factor")
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
    tenant = forms.CharField(label="Project ID", strip=False)


class UtilisationQueryForm(forms.Form):
    """Query-string shape of the utilisation tables, charts and API (level, series, window)."""

    LEVELS = [("host", "Host"), ("aggregate", "Aggregate")]
    LEVELS += [("availability_zone", "Availability zone"), ("cloud", "Cloud")]
    RESOLUTIONS = [("", "All (raw, then hourly, then daily)"), ("raw", "Raw")]
    RESOLUTIONS += [("hourly", "Hourly"), ("daily", "Daily")]

    level = forms.ChoiceField(choices=LEVELS, required=False)
    name = forms.CharField(max_length=255, required=False)
    start = UtcDateTimeField(required=False, label="From")  # as the page labels it
    end = UtcDateTimeField(required=False, label="To")
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


class PreviewForm(forms.Form):
    """The preview's inputs as they sit in the query string."""

    # A flavor id, checked by the preview: a what-if may preview a flavor its changes create.
    flavor = forms.CharField(label="Flavor", max_length=255)
    az = forms.CharField(label="Availability zone", required=False)
    project = forms.CharField(label="Project ID", required=False, max_length=255)
    image = forms.CharField(
        label="Image properties",
        required=False,
        help_text="key=value, comma separated (e.g. hw_architecture=x86_64)",
    )
    hints = forms.CharField(
        label="Scheduler hints (JSON)",
        required=False,
        help_text='e.g. {"different_host": ["<uuid>"]}',
    )
    changes = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, flavors):
        super().__init__(data)
        self.offer_flavors(flavors)

    def offer_flavors(self, flavors: dict[str, FlavorSpec]) -> None:
        """The flavor menu: the cloud's, or after a what-if also the flavors it creates."""
        self.flavor_choices = [
            (flavor.id, f"{flavor.name} ({flavor.id})") for flavor in by_size(flavors)
        ]

    def clean_image(self):
        properties = {}
        for item in self.cleaned_data["image"].split(","):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise forms.ValidationError(f"'{item.strip()}' is not key=value.")
            properties[key.strip()] = value.strip()
        return properties

    def clean_hints(self):
        return _json_field(self.cleaned_data["hints"], default={}, placeholder="hints")

    def clean_changes(self):
        return _json_field(self.cleaned_data["changes"], default=[], placeholder="changes")


class RemoveChangeForm(NamedRanges, forms.Form):
    """Which pending change to drop (`position`, from 0) out of the set in `changes`."""

    changes = forms.CharField()
    position = forms.IntegerField(min_value=0)

    def clean_changes(self):
        changes = _json_field(self.cleaned_data["changes"], default=[], placeholder="changes")
        if not isinstance(changes, list):
            raise forms.ValidationError("changes must be a list of changes.")
        return changes

    def clean(self):
        data = super().clean()
        changes, position = data.get("changes"), data.get("position")
        if changes is not None and position is not None and position >= len(changes):
            self.add_error("position", f"There is no change {position} in this set.")
        return data


def by_size(flavors: dict[str, FlavorSpec]) -> list[FlavorSpec]:
    """Smallest first, by RAM as Horizon's flavor choices are: the likeliest to fit leads."""
    return sorted(flavors.values(), key=lambda f: (f.ram, f.vcpus, f.disk, f.id))


def _json_field(text: str, *, default, placeholder: str):
    if not text.strip():
        return default
    try:
        return json.loads(text)
    except ValueError as exc:
        raise forms.ValidationError(f"{placeholder} must be valid JSON ({exc}).") from exc


class ChangeForm(forms.Form):
    """One pending change added to the what-if set; preview.validate_changes checks its rules."""

    action = forms.ChoiceField(choices=[(a, a.replace("_", " ")) for a in preview.ACTIONS])
    aggregate = forms.CharField(required=False)
    host = forms.CharField(required=False)
    name = forms.CharField(required=False, label="New flavor name")
    key = forms.CharField(required=False, label="Metadata / extra-spec key")
    value = forms.CharField(required=False, label="Value (empty deletes)")
    size = forms.CharField(required=False, label="New flavor size vcpus,ram,disk")

    def clean_size(self) -> dict[str, int]:
        text = self.cleaned_data["size"].strip()
        if not text:
            return {}
        parts = [part.strip() for part in text.split(",")]
        bad = next((part for part in parts if not part.isdigit()), None)
        if bad is not None or not 2 <= len(parts) <= 3:
            why = f"'{bad}' is not a whole number" if bad is not None else "two or three numbers"
            raise forms.ValidationError(
                f"Give the size as vcpus,ram,disk in whole numbers, e.g. 2,4096,20 ({why})."
            )
        return dict(zip(preview.FLAVOR_SIZES, map(int, parts), strict=False))

    def change(self, flavor: FlavorSpec | None) -> dict:
        """The change as the change set holds it; `flavor` is the one being previewed."""
        data = self.cleaned_data
        action = data["action"]
        change: dict = {"action": action}
        if action in ("add_host", "remove_host", "set_metadata", "delete_metadata"):
            change["aggregate"] = data["aggregate"]
        if action in ("add_host", "remove_host", "disable_host", "enable_host"):
            change["host"] = data["host"]
        if action == "set_metadata":
            change["metadata"] = {data["key"]: data["value"] or None}
        if action == "delete_metadata":
            change["keys"] = [data["key"]]
        specs = {data["key"]: data["value"] or None} if data["key"] else {}
        if action == "update_flavor":
            change["flavor"] = flavor.id if flavor else ""
            change["extra_specs"] = specs
            change.update(data["size"])  # refused by validate_changes: Nova cannot resize
        if action == "create_flavor":
            # Another size of the previewed flavor: its extra specs come along.
            inherited = dict(flavor.extra_specs or {}) if flavor else {}
            change.update(name=data["name"], **data["size"])
            change["extra_specs"] = {**inherited, **specs}
        return change


class SchedulerConfigForm(forms.Form):
    """The cloud's scheduler options as nova.conf lines (`name = value`), one per line."""

    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="One Nova option per line, e.g. enabled_filters = ComputeFilter, "
        "AggregateInstanceExtraSpecsFilter. Unset options take Nova 34's defaults.",
    )

    def clean_options(self):
        options = {}
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise forms.ValidationError(f"Line {number} is not 'name = value'.")
            options[key.strip()] = value.strip()
        return options
