"""Response shapes (keys, JSON types, nesting, null vs missing): the simulator against Nova."""

from typing import Any


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def differences(sim: Any, nova: Any, path: str = "$", *, subset: bool = False) -> list[str]:
    """Where `sim` differs from `nova`; a null may stand for any type (Nova's nullable fields),
    an empty list for any list; with `subset`, `sim` may omit keys Nova has."""
    if sim == "NoneType" or nova == "NoneType" or sim == [] or nova == []:
        return []
    if isinstance(sim, dict) and isinstance(nova, dict):
        problems = [f"{path}.{k}: only in simulator" for k in sim.keys() - nova.keys()]
        if not subset:
            problems += [f"{path}.{k}: only in Nova" for k in nova.keys() - sim.keys()]
        for key in sim.keys() & nova.keys():
            problems += differences(sim[key], nova[key], f"{path}.{key}", subset=subset)
        return problems
    if isinstance(sim, list) and isinstance(nova, list):
        return differences(sim[0], nova[0], f"{path}[]", subset=subset)
    if isinstance(sim, str) and isinstance(nova, str) and {sim, nova} == {"int", "float"}:
        return []
    return [] if sim == nova else [f"{path}: simulator {sim}, Nova {nova}"]
