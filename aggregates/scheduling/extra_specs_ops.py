"""Nova's extra-spec value operator language (extra_specs_ops.match), quirks and errors included."""

from __future__ import annotations

import operator
from collections.abc import Callable


class ExtraSpecError(ValueError):
    """Nova itself would raise on this requirement, failing the whole request; `key` names it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.message = message


def _float_ge(value: str, operand: str) -> bool:
    return float(value) >= float(operand)


# nova-scheduling.md §4.1: "=" means "at least", the s-operators compare code points,
# <in>/<all-in> are substring tests. There is no numeric "<" or ">".
_NUMERIC: dict[str, Callable[[str, str], bool]] = {
    "=": _float_ge,
    "==": lambda value, operand: float(value) == float(operand),
    "!=": lambda value, operand: float(value) != float(operand),
    ">=": _float_ge,
    "<=": lambda value, operand: float(value) <= float(operand),
}
_STRING: dict[str, Callable[[str, str], bool]] = {
    "s==": operator.eq,
    "s!=": operator.ne,
    "s<": operator.lt,
    "s<=": operator.le,
    "s>": operator.gt,
    "s>=": operator.ge,
    "<in>": lambda value, operand: operand in value,
}
OPERATORS = frozenset(_NUMERIC) | frozenset(_STRING) | {"<all-in>", "<or>"}
NUMERIC_OPERATORS = frozenset(_NUMERIC)


def match(value: str | None, requirement: str, key: str = "") -> bool:
    """Whether host-side `value` satisfies flavor-side `requirement`, exactly as Nova 34 decides.

    Raises ExtraSpecError where Nova raises (a bare `<or>`, a non-numeric numeric comparison).
    """
    words = requirement.split()
    op = words[0] if words else None
    if op not in OPERATORS:
        # §4.1 step 2: plain equality with the whole, unsplit requirement.
        return value == requirement
    if value is None:
        return False
    if op == "<or>":
        return _match_or(value, words, key)
    if len(words) == 1:
        return False  # §4.2: an operator without operand never matches
    if op == "<all-in>":
        return all(word in value for word in words[1:])
    method = _NUMERIC.get(op)
    if method is None:
        return _STRING[op](value, words[1])
    try:
        return method(value, words[1])
    except ValueError as exc:
        raise ExtraSpecError(
            key,
            f"numeric operator {op!r} cannot compare {value!r} with {words[1]!r} "
            f"(Nova raises ValueError)",
        ) from exc


def _match_or(value: str, words: list[str], key: str) -> bool:
    # §4.1 step 4: compare a word, skip the next one unchecked (meant to be "<or>"), repeat.
    if len(words) == 1:
        raise ExtraSpecError(key, "'<or>' without alternatives (Nova raises IndexError)")
    index = 1
    while index < len(words):
        if words[index] == value:
            return True
        index += 2
    return False


def requirement_error(requirement: str, key: str = "") -> ExtraSpecError | None:
    """The error Nova raises on this requirement whatever the host value, if any."""
    words = requirement.split()
    if not words:
        return None
    if words == ["<or>"]:
        return ExtraSpecError(key, "'<or>' without alternatives (Nova raises IndexError)")
    if words[0] in NUMERIC_OPERATORS and len(words) > 1:
        try:
            float(words[1])
        except ValueError:
            return ExtraSpecError(
                key,
                f"numeric operator {words[0]!r} with non-numeric operand {words[1]!r} "
                "(Nova raises ValueError)",
            )
    return None


def requirement_warnings(requirement: str, key: str) -> list[str]:
    """Ways `requirement` reads differently in Nova than an operator would expect (§4.2)."""
    words = requirement.split()
    notes: list[str] = []
    if not words:
        if requirement:
            notes.append(f"{key}: a whitespace-only value only matches that exact string")
        return notes
    first = words[0]
    if first not in OPERATORS:
        lowered = first.lower()
        if any(first.startswith(op) for op in OPERATORS if op != "=") or lowered in OPERATORS:
            notes.append(
                f"{key}: {first!r} is not an operator (operators are case-sensitive and need "
                f"a following space), so {requirement!r} is compared as plain text"
            )
        elif first[0] in "<>=!" or (lowered.startswith("s") and lowered[1:2] in "<>=!"):
            notes.append(
                f"{key}: {first!r} is not a Nova operator (there is no '<' or '>'), so "
                f"{requirement!r} is compared as plain text"
            )
        if requirement != requirement.strip():
            notes.append(
                f"{key}: value {requirement!r} has surrounding spaces and is compared verbatim"
            )
        return notes
    if len(words) == 1:
        if first == "<or>":
            return notes  # reported as an error, not a warning
        notes.append(f"{key}: operator {first!r} without operand never matches")
        return notes
    if first == "=":
        notes.append(f"{key}: '=' means 'at least' (value >= {words[1]}), not equality")
    if first == "<or>":
        separators = words[2::2]
        if any(word != "<or>" for word in separators):
            notes.append(
                f"{key}: Nova skips every second word after '<or>' without checking it, so "
                f"only {words[1::2]} are alternatives; write '<or> a <or> b'"
            )
    elif first != "<all-in>" and len(words) > 2:
        notes.append(f"{key}: only the first operand {words[1]!r} is used; {words[2:]} are ignored")
    if first in ("<in>", "<all-in>"):
        notes.append(f"{key}: {first!r} tests substrings, not list membership")
    return notes


def extra_spec_warnings(extra_specs: dict[str, str]) -> list[str]:
    """The flavor lint: for every key the aggregate/capabilities filters read with the operator
    language, where Nova would raise on it or read it differently than it looks. Nova stores
    such values without complaint; the lint names the key instead of refusing the write."""
    notes: list[str] = []
    for key, value in sorted(extra_specs.items()):
        if ":" in key and not key.startswith(("aggregate_instance_extra_specs:", "capabilities:")):
            continue
        error = requirement_error(value, key)
        if error is not None:
            notes.append(f"{key}: Nova's scheduler fails every request for this flavor: {error}")
        notes.extend(requirement_warnings(value, key))
    return notes
