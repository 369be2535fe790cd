"""Demo roadmap: Nova's blueprints from Grizzly to Juno, imported as Launchpad would send them."""

from datetime import datetime, timedelta

from roadmap.importers.launchpad import parse_pages
from roadmap.models import Blueprint, Milestone, Series
from roadmap.queries.blueprints import blueprints_named
from roadmap.services import blueprints as services
from roadmap.services import projects as project_services

LP = "https://api.launchpad.net/devel"
# name, series, milestone, priority, definition, implementation, assignee, tags, depends on, title
NOVA = [
    (
        "no-db-compute",
        "grizzly",
        "grizzly-3",
        "Essential",
        "Approved",
        "Implemented",
        "danms",
        ["conductor"],
        [],
        "Remove direct database access from nova-compute",
    ),
    (
        "compute-api-v3-prototype",
        "grizzly",
        "grizzly-3",
        "Low",
        "Obsolete",
        "Deferred",
        "cyeoh-0",
        ["api"],
        [],
        "Prototype a v3 compute API beside v2",
    ),
    (
        "unified-object-model",
        "havana",
        "havana-3",
        "Essential",
        "Approved",
        "Implemented",
        "danms",
        ["objects"],
        ["no-db-compute"],
        "Unified object model: versioned NovaObjects over RPC",
    ),
    (
        "nova-v3-api",
        "havana",
        "havana-3",
        "High",
        "Approved",
        "Implemented",
        "cyeoh-0",
        ["api"],
        [],
        "The v3 compute API: consistent, extension-based, with input validation",
    ),
    (
        "cold-migrations-to-conductor",
        "havana",
        "havana-2",
        "High",
        "Approved",
        "Implemented",
        "johngarbutt",
        ["conductor"],
        ["no-db-compute"],
        "Move resize and cold migration orchestration into the conductor",
    ),
    (
        "docker-driver",
        "havana",
        "havana-3",
        "Medium",
        "Approved",
        "Implemented",
        "samalba",
        ["virt-drivers"],
        [],
        "A Docker virt driver for nova-compute",
    ),
    (
        "compute-manager-objects",
        "icehouse",
        "icehouse-2",
        "High",
        "Approved",
        "Implemented",
        "danms",
        ["objects"],
        ["unified-object-model"],
        "Convert the compute manager to use objects everywhere",
    ),
    (
        "live-upgrades",
        "icehouse",
        "icehouse-3",
        "Essential",
        "Approved",
        "Implemented",
        "danms",
        ["upgrades"],
        ["compute-manager-objects", "unified-object-model"],
        "Live upgrades: run Havana computes with an Icehouse control plane",
    ),
    (
        "read-only-db-replicas",
        "icehouse",
        "icehouse-3",
        "Medium",
        "Approved",
        "Implemented",
        "mikalstill",
        ["db"],
        [],
        "Send read-only queries to a database replica (slave_connection)",
    ),
    (
        "unified-migrations-through-conductor",
        "icehouse",
        "icehouse-3",
        "High",
        "Approved",
        "Implemented",
        "johngarbutt",
        ["conductor"],
        ["cold-migrations-to-conductor"],
        "Unify live and cold migrations in the conductor's task API",
    ),
    (
        "v3-api-remainder",
        "icehouse",
        "icehouse-3",
        "High",
        "Superseded",
        "Deferred",
        "cyeoh-0",
        ["api"],
        ["nova-v3-api"],
        "Finish porting the remaining extensions to v3",
    ),
    (
        "docker-driver-out-of-tree",
        "icehouse",
        "icehouse-rc1",
        "Low",
        "Approved",
        "Implemented",
        "ewindisch",
        ["virt-drivers"],
        ["docker-driver"],
        "Move the Docker driver to Stackforge",
    ),
    (
        "scheduler-lib",
        "juno",
        "juno-2",
        "High",
        "Approved",
        "Implemented",
        "sylvain-bauza",
        ["scheduler"],
        [],
        "A scheduler client library: the first step of the Gantt split",
    ),
    (
        "isolate-scheduler-db",
        "juno",
        "juno-3",
        "High",
        "Approved",
        "Good progress",
        "sylvain-bauza",
        ["scheduler"],
        ["scheduler-lib"],
        "Stop the scheduler reading Nova's database tables directly",
    ),
    (
        "forklift-scheduler-gantt",
        "juno",
        "juno-rc1",
        "Medium",
        "Discussion",
        "Not started",
        "",
        ["scheduler"],
        ["isolate-scheduler-db"],
        "Split the scheduler out into Gantt",
    ),
    (
        "add-ironic-driver",
        "juno",
        "juno-3",
        "High",
        "Approved",
        "Implemented",
        "devananda",
        ["virt-drivers"],
        [],
        "A virt driver for Ironic bare-metal provisioning",
    ),
    (
        "v2-on-v3-api",
        "juno",
        "juno-3",
        "High",
        "Approved",
        "Needs Code Review",
        "cyeoh-0",
        ["api"],
        ["nova-v3-api"],
        "v2.1: the v2 API implemented on the v3 framework",
    ),
    (
        "live-migration-to-conductor",
        "juno",
        "juno-2",
        "Medium",
        "Approved",
        "Slow progress",
        "johngarbutt",
        ["conductor", "upgrades"],
        ["unified-migrations-through-conductor"],
        "Drive live migration from the conductor too",
    ),
    (
        "pci-passthrough-sriov",
        "juno",
        "juno-3",
        "High",
        "Approved",
        "Implemented",
        "baoli",
        ["nfv"],
        [],
        "SR-IOV networking: PCI passthrough of virtual functions to guests",
    ),
    (
        "virt-driver-numa-placement",
        "juno",
        "juno-3",
        "Medium",
        "Approved",
        "Implemented",
        "berrange",
        ["nfv"],
        [],
        "NUMA-aware placement of guest vCPUs and memory",
    ),
    (
        "virt-driver-large-pages",
        "juno",
        "juno-3",
        "Medium",
        "Approved",
        "Needs Code Review",
        "sahid-ferdjaoui",
        ["nfv"],
        ["virt-driver-numa-placement"],
        "Back guest memory with huge pages",
    ),
    (
        "input-output-based-numa-scheduling",
        "juno",
        "juno-3",
        "Low",
        "Review",
        "Not started",
        "",
        ["nfv"],
        ["virt-driver-numa-placement", "pci-passthrough-sriov"],
        "Schedule guests near the NUMA node of their PCI devices",
    ),
    (
        "use-mysql-connector",
        "juno",
        "juno-2",
        "Medium",
        "Approved",
        "Blocked",
        "jaypipes",
        ["db"],
        [],
        "Use a native MySQL driver that cooperates with eventlet",
    ),
    (
        "juno-objects-conversion",
        "juno",
        "juno-2",
        "Medium",
        "Approved",
        "Started",
        "danms",
        ["objects", "upgrades"],
        ["compute-manager-objects"],
        "Convert the remaining code to objects",
    ),
]


def _when(day) -> str:
    return datetime(day.year, day.month, day.day, 12, tzinfo=None).isoformat() + "+00:00"


def _entry(row, milestones: dict) -> dict:
    name, _series, milestone, priority, definition, implementation, who, tags, _deps, title = row
    target = milestones[milestone]
    created = target.date - timedelta(days=75)
    started = target.date - timedelta(days=45)
    completed = target.date - timedelta(days=4)
    lifecycle_started = implementation not in ("Unknown", "Not started", "Deferred")
    complete = implementation == "Implemented" or definition in ("Obsolete", "Superseded")
    person = f"{LP}/~{who}" if who else None
    return {
        "self_link": f"{LP}/nova/+spec/{name}",
        "web_link": f"https://blueprints.launchpad.net/nova/+spec/{name}",
        "information_type": "Public",
        "name": name,
        "title": title,
        "summary": title + ".",
        "specification_url": f"https://wiki.openstack.org/wiki/Nova/{name}",
        "whiteboard": f"Gerrit topic: https://review.openstack.org/#q,topic:bp/{name},n,z\n",
        "priority": priority,
        "definition_status": definition,
        "implementation_status": implementation,
        "date_created": _when(created),
        "date_started": _when(started) if lifecycle_started else None,
        "date_completed": _when(completed) if complete else None,
        "owner_link": person,
        "assignee_link": person,
        "drafter_link": person,
        "approver_link": f"{LP}/~russellb" if definition == "Approved" else None,
        "milestone_link": f"{LP}/nova/+milestone/{milestone}",
        "tags": tags,
    }


def seed(*, users: dict) -> str:
    """Create (or refresh) project nova with its Grizzly..Juno blueprints; "lead" leads nova."""
    actor = users["admin"]
    project = project_services.project_named("nova", actor=actor, title="OpenStack Compute (nova)")
    if not project.leads.filter(pk=users["lead"].pk).exists():
        project_services.update_object(
            project,
            actor=actor,
            leads=[*project.leads.all(), users["lead"]],
            description="The compute service: scheduling, virt drivers, the compute API.",
        )
    milestones = {m.name: m for m in Milestone.objects.filter(name__in={r[2] for r in NOVA})}
    created = 0
    for series_name in ("grizzly", "havana", "icehouse", "juno"):
        rows = [row for row in NOVA if row[1] == series_name]
        page = {
            "start": 0,
            "total_size": len(rows),
            "entries": [_entry(r, milestones) for r in rows],
        }
        result = services.import_launchpad_collection(
            "nova",
            parse_pages([page]),
            actor=actor,
            series=Series.objects.get(name__iexact=series_name),
        )
        created += len(result.created)
    for row in NOVA:
        if not row[8]:
            continue
        blueprint = Blueprint.objects.get(project=project, name=row[0])
        wanted, _missing = blueprints_named(project, row[8])
        if set(blueprint.dependencies.all()) != set(wanted):
            services.update_blueprint(blueprint, actor=actor, dependencies=wanted)
    return f"project nova, {len(NOVA)} blueprints ({created} new), Grizzly to Juno"
