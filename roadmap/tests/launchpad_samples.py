"""Launchpad collection pages in the documented shape (our own example values, no live calls)."""

import copy

LP = "https://api.launchpad.net/devel"


def entry(name: str, **overrides) -> dict:
    """A full specification entry as Launchpad's devel web service writes it."""
    data = {
        "self_link": f"{LP}/nova/+spec/{name}",
        "web_link": f"https://blueprints.launchpad.net/nova/+spec/{name}",
        "resource_type_link": f"{LP}/#specification",
        "http_etag": '"3f1e0c2a9b7d-5e6f7a8b9c0d"',
        "information_type": "Public",
        "name": name,
        "title": f"Example {name}",
        "summary": f"Summary of {name}.",
        "specification_url": f"https://specs.openstack.org/openstack/nova-specs/specs/juno/approved/{name}.html",
        "whiteboard": (
            "Approved for Juno.\n\n\nGerrit topic: https://review.openstack.org/"
            f"#q,topic:bp/{name},n,z\n\n\nAddressed by: https://review.openstack.org/100001\n"
            "    Add ExampleWeigher\n"
        ),
        "workitems_text": (
            "Work items for juno-2:\n[alice] Weigher class and unit tests: DONE\nDocs: TODO"
        ),
        "priority": "Medium",
        "definition_status": "Approved",
        "implementation_status": "Needs Code Review",
        "lifecycle_status": "Started",
        "direction_approved": True,
        "is_started": True,
        "is_complete": False,
        "has_accepted_goal": True,
        "date_created": "2014-04-22T10:15:00.000000+00:00",
        "date_started": "2014-06-30T08:00:00.000000+00:00",
        "date_completed": None,
        "owner_link": f"{LP}/~alice",
        "assignee_link": f"{LP}/~alice",
        "drafter_link": f"{LP}/~carol",
        "approver_link": f"{LP}/~bob",
        "starter_link": f"{LP}/~alice",
        "completer_link": None,
        "target_link": f"{LP}/nova",
        "milestone_link": f"{LP}/nova/+milestone/juno-2",
        "dependencies_collection_link": f"{LP}/nova/+spec/{name}/dependencies",
        "bugs_collection_link": f"{LP}/nova/+spec/{name}/bugs",
        "linked_branches_collection_link": f"{LP}/nova/+spec/{name}/linked_branches",
    }
    data.update(overrides)
    return data


def page(entries: list[dict], **extra) -> dict:
    return {
        "start": 0,
        "total_size": len(entries),
        "resource_type_link": f"{LP}/#specification-page-resource",
        "entries": copy.deepcopy(entries),
        **extra,
    }


def juno_page() -> dict:
    return page(
        [
            entry("example-host-weigher"),
            entry(
                "pci-passthrough-sriov",
                title="SR-IOV PCI passthrough",
                priority="High",
                implementation_status="Implemented",
                lifecycle_status="Complete",
                date_completed="2014-09-01T12:00:00.000000+00:00",
                milestone_link=f"{LP}/nova/+milestone/juno-3",
                approver_link=None,
                drafter_link=None,
            ),
            entry(
                "use-mysql-connector",
                implementation_status="Not started",
                lifecycle_status="Not started",
                date_started=None,
                assignee_link=None,
                milestone_link=None,
                specification_url=None,
            ),
        ]
    )
