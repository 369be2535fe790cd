"""A cloud's sub-navigation and breadcrumbs: which section the current page belongs to."""

from typing import NamedTuple

from django import template
from django.urls import reverse

register = template.Library()


class Section(NamedTuple):
    label: str
    url_name: str
    # The page belongs to this section when its URL name starts with one of these.
    prefixes: tuple[str, ...]
    admin_only: bool = True
    connected_only: bool = False


# In the order an operator works: what there is, where instances can go, how full it runs.
SECTIONS = (
    Section("Overview", "cloud_detail", ("cloud_detail", "cloud_update", "cloud_delete"), False),
    Section("Hosts", "host_list", ("host_",)),
    Section("Aggregates", "aggregate_list", ("aggregate_",)),
    Section("Availability zones", "zone_list", ("zone_",), False),
    Section("Flavors", "flavor_list", ("flavor_",), False),
    Section("Servers", "server_list", ("server_",)),
    Section("Server groups", "servergroup_list", ("servergroup_",)),
    Section("Placement preview", "placement_preview", ("placement_preview",)),
    Section("Drain plan", "drain_plan", ("drain_plan",)),
    Section("N+1", "resilience", ("resilience",)),
    Section("Capacity", "cloud_capacity", ("cloud_capacity", "cloud_run_out")),
    Section("Utilisation", "cloud_utilisation", ("cloud_utilisation",)),
    Section("Heatmap", "cloud_heatmap", ("cloud_heatmap",)),
    Section("Scheduler", "cloud_scheduler", ("cloud_scheduler",)),
    Section("Sync", "cloud_sync", ("cloud_sync", "syncrun_"), connected_only=True),
)


@register.inclusion_tag("aggregates/partials/_cloud_nav_links.html", takes_context=True)
def cloud_nav(context: template.Context, here: str = "") -> dict:
    """The sections this user may open, the current one marked, and the breadcrumb trail to
    `here` (the page's own object or action, when it is more than the section's list)."""
    cloud = context["cloud"]
    request = context["request"]
    match = request.resolver_match
    url_name = match.url_name if match and match.namespace == "aggregates" else ""
    links, current = [], None
    for section in SECTIONS:
        if section.admin_only and not context.get("is_cloud_admin"):
            continue
        if section.connected_only and not cloud.is_connected:
            continue
        url = reverse(f"aggregates:{section.url_name}", args=[cloud.slug])
        is_current = url_name.startswith(section.prefixes)
        if is_current:
            current = (section.label, url)
        exact = url == request.path
        links.append({"label": section.label, "url": url, "current": is_current, "exact": exact})
    crumbs = [("Clouds", reverse("aggregates:cloud_list"))]
    crumbs.append((cloud.name, reverse("aggregates:cloud_detail", args=[cloud.slug])))
    if current and current[0] != "Overview":
        crumbs.append(current)
    if here:
        crumbs.append((here, None))
    # The last crumb is the page itself: named, not linked.
    crumbs[-1] = (crumbs[-1][0], None)
    return {"links": links, "crumbs": crumbs}
