"""Scheduler options: Nova 34 names and defaults, and refusal of what Nova refuses."""

import pytest

from aggregates.scheduling.config import (
    ALL_WEIGHERS,
    DEFAULT_CONFIG,
    SchedulerConfig,
    SchedulerConfigError,
    scheduler_config_from_options,
)


@pytest.mark.parametrize(
    ("option", "nova_default"),
    [
        # nova-scheduling.md §5.1: the five default filters, in order.
        (
            "enabled_filters",
            (
                "ComputeFilter",
                "ComputeCapabilitiesFilter",
                "ImagePropertiesFilter",
                "ServerGroupAntiAffinityFilter",
                "ServerGroupAffinityFilter",
            ),
        ),
        ("max_placement_results", 1000),  # §3.4
        ("limit_tenants_to_placement_aggregate", False),  # §5.3
        ("placement_aggregate_required_for_tenants", False),  # §5.3.1
        ("enable_isolated_aggregate_filtering", False),  # §5.3
        ("host_subset_size", 1),  # §1 step 8
        ("max_instances_per_host", 50),  # §5.4.7
        ("max_io_ops_per_host", 8),  # §5.4.8
        ("ram_weight_multiplier", 1.0),  # §6
        ("cpu_weight_multiplier", 1.0),
        ("disk_weight_multiplier", 1.0),
        ("io_ops_weight_multiplier", -1.0),
        ("num_instances_weight_multiplier", 0.0),
        ("build_failure_weight_multiplier", 1000000.0),
        ("hypervisor_version_weight_multiplier", 1.0),
        ("image_props_weight_multiplier", 0.0),
        ("pci_weight_multiplier", 1.0),
        ("soft_affinity_weight_multiplier", 1.0),
        ("soft_anti_affinity_weight_multiplier", 1.0),
        ("cross_cell_move_weight_multiplier", 1000000.0),
        ("metrics_weight_multiplier", 1.0),
        ("reserved_host_memory_mb", 512),  # §5.2
        ("reserved_host_cpus", 0),
        ("reserved_host_disk_mb", 0),
        ("cpu_allocation_ratio", None),  # §5.2: unset, initial_* applies
        ("initial_cpu_allocation_ratio", 4.0),
        ("initial_ram_allocation_ratio", 1.0),
        ("initial_disk_allocation_ratio", 1.0),
        ("default_availability_zone", "nova"),  # §2.2
        ("internal_service_availability_zone", "internal"),
        ("default_schedule_zone", None),  # §1
        ("restrict_isolated_hosts_to_isolated_images", True),  # §5.4.9
        ("aggregate_image_properties_isolation_separator", "."),  # §5.4.5
    ],
)
def test_defaults_are_nova_34s(option, nova_default):
    assert getattr(DEFAULT_CONFIG, option) == nova_default


def test_all_thirteen_weighers_by_default():
    # nova-scheduling.md §6: weight_classes = all_weighers.
    assert len(DEFAULT_CONFIG.weighers) == 13
    assert set(DEFAULT_CONFIG.weighers) == set(ALL_WEIGHERS)


def test_options_from_a_flat_dict_are_coerced_like_nova_conf():
    config = scheduler_config_from_options(
        {
            "enabled_filters": "ComputeFilter, AggregateInstanceExtraSpecsFilter",
            "limit_tenants_to_placement_aggregate": "true",
            "max_placement_results": "50",
            "ram_weight_multiplier": "2.5",
            "cpu_allocation_ratio": 16,
            "isolated_hosts": ["h1", "h2"],
        }
    )
    assert config.enabled_filters == ("ComputeFilter", "AggregateInstanceExtraSpecsFilter")
    assert config.limit_tenants_to_placement_aggregate is True
    assert config.max_placement_results == 50
    assert config.ram_weight_multiplier == 2.5
    assert config.cpu_allocation_ratio == 16.0
    assert config.isolated_hosts == ("h1", "h2")


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"no_such_option": 1}, "no_such_option"),
        ({"max_placement_results": "many"}, "max_placement_results"),
        ({"max_placement_results": 0}, "max_placement_results"),  # min=1
        ({"host_subset_size": 0}, "host_subset_size"),  # min=1
        ({"max_io_ops_per_host": -1}, "max_io_ops_per_host"),  # min=0
        ({"limit_tenants_to_placement_aggregate": "maybe"}, "limit_tenants_to_placement_aggregate"),
        ({"ram_weight_multiplier": "heavy"}, "ram_weight_multiplier"),
        ({"ram_weight_multiplier": True}, "ram_weight_multiplier"),
        ({"pci_weight_multiplier": -1}, "pci_weight_multiplier"),  # min=0.0
        ({"cpu_allocation_ratio": -2}, "cpu_allocation_ratio"),
        ({"enabled_filters": 7}, "enabled_filters"),
        ({"image_properties_default_architecture": "z80"}, "image_properties_default_architecture"),
        ({"metrics_weight_setting": "cpu.percent"}, "metrics_weight_setting"),
        ({"weight_classes": "nova.scheduler.weights.ram.NoSuchWeigher"}, "weight_classes"),
        ({"default_availability_zone": None}, "default_availability_zone"),
    ],
)
def test_bad_options_are_refused_naming_the_key(options, key):
    with pytest.raises(SchedulerConfigError) as caught:
        scheduler_config_from_options(options)
    assert caught.value.key == key


@pytest.mark.parametrize(
    "name",
    [
        # nova-scheduling.md §5.1 / §9.1: these no longer exist in Nova 34.
        "AvailabilityZoneFilter",
        "RamFilter",
        "CoreFilter",
        "DiskFilter",
        "RetryFilter",
        "AggregateCoreFilter",
        "AggregateRamFilter",
        "AggregateDiskFilter",
        "NoSuchFilter",
    ],
)
def test_unknown_filters_are_refused_like_scheduler_host_filter_not_found(name):
    with pytest.raises(SchedulerConfigError, match="SchedulerHostFilterNotFound") as caught:
        SchedulerConfig(enabled_filters=("ComputeFilter", name))
    assert caught.value.key == "enabled_filters"


def test_availability_zone_filter_refusal_says_why():
    with pytest.raises(SchedulerConfigError, match="map_az_to_placement_aggregate"):
        scheduler_config_from_options({"enabled_filters": ["AvailabilityZoneFilter"]})


def test_weight_classes_accept_full_class_paths():
    config = scheduler_config_from_options(
        {"weight_classes": "nova.scheduler.weights.ram.RAMWeigher"}
    )
    assert config.weighers == ("RAMWeigher",)
