"""Nova's request schemas in our words: names, zones, metadata, flavor ids, extra specs, numbers.

Each check raises InvalidInput (400) naming the field; sources are nova-scheduling.md §2.3, §3, §4.
"""

import re
from typing import Any

from aggregates.errors import InvalidInput
from aggregates.services import extra_specs as known_specs
from dashboard.ranges import MAX_INT, between, unit_of

User = Any  # who acts: a Django user, or the sync's name for itself
UNSET: Any = object()  # an optional argument not given (None may be a value)
MAX_NAME = 255
METADATA_KEY = re.compile(r"^[a-zA-Z0-9-_:. ]{1,255}$")
FLAVOR_ID = re.compile(r"^(?! )[a-zA-Z0-9. _-]+(?<! )$")


def _printable(value: str) -> bool:
    return all(ch.isprintable() for ch in value)


def _string_of_1_to_255(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"'{field}' must be a string.", field=field)
    if not value:
        raise InvalidInput(f"'{field}' must not be empty.", field=field)
    if len(value) > MAX_NAME:
        raise InvalidInput(f"'{field}' is longer than {MAX_NAME} characters.", field=field)
    return value


def check_name(value: Any, *, field: str = "name", strip: bool = False) -> str:
    """Nova's `name` type: 1–255 printable characters, no surrounding whitespace.

    On aggregate update Nova strips the name instead of refusing it (`strip=True`).
    """
    value = _string_of_1_to_255(value.strip() if strip and isinstance(value, str) else value, field)
    if value != value.strip() or not _printable(value):
        raise InvalidInput(
            f"An invalid '{field}' value was provided. The name must be: printable characters. "
            "Can not start or end with whitespace.",
            field=field,
        )
    return value


def check_zone_name(value: Any, *, field: str = "availability_zone") -> str:
    """Create/PUT schema for a zone: 1–255 printable characters except ':', no surrounding space."""
    value = _string_of_1_to_255(value, field)
    if ":" in value:
        raise InvalidInput(
            f"Invalid availability zone '{value}': ':' is not allowed (it separates az:host).",
            field=field,
        )
    if value != value.strip() or not _printable(value):
        raise InvalidInput(
            f"Invalid availability zone '{value}': printable characters only, "
            "and it can not start or end with whitespace.",
            field=field,
        )
    return value


def check_metadata(metadata: Any, *, field: str = "metadata") -> dict[str, str | None]:
    """set_metadata body: keys per Nova's pattern; values strings ≤255, or null to delete."""
    if not isinstance(metadata, dict):
        raise InvalidInput(f"'{field}' must be an object of key/value pairs.", field=field)
    for key, value in metadata.items():
        _check_key(key, field=field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput(
                f"Metadata value of '{key}' must be a string or null, not {type(value).__name__}.",
                field=f"{field}.{key}",
            )
        if len(value) > MAX_NAME:
            raise InvalidInput(
                f"Metadata value of '{key}' is longer than {MAX_NAME} characters.",
                field=f"{field}.{key}",
            )
    return dict(metadata)


def _check_key(key: Any, *, field: str) -> None:
    if not isinstance(key, str) or not METADATA_KEY.match(key):
        raise InvalidInput(
            f"Invalid key '{key}': use 1–255 of letters, digits, space and - _ : .",
            field=f"{field}.{key}" if isinstance(key, str) and key else field,
        )


def check_flavor_id(value: Any, *, field: str = "id") -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f"'{field}' must be a string.", field=field)
    value = str(value)
    if not 1 <= len(value) <= MAX_NAME or not FLAVOR_ID.match(value):
        raise InvalidInput(
            f"Invalid flavor id '{value}': 1–255 of letters, digits, '.', '_', '-' and space, "
            "not starting or ending with a space.",
            field=field,
        )
    return value


def check_extra_specs(extra_specs: Any, *, field: str = "extra_specs") -> dict[str, str]:
    """Keys per Nova's pattern and 2.86 validators; values strings ≤255 (numbers become strings).

    Like Nova, the operator language of values (`<or> a b`, a bare `=`) is not checked here: Nova
    stores such values, so we do; the flavor lint (`extra_spec_warnings`) names them instead.
    """
    if not isinstance(extra_specs, dict):
        raise InvalidInput(f"'{field}' must be an object of key/value pairs.", field=field)
    cleaned: dict[str, str] = {}
    for key, value in extra_specs.items():
        _check_key(key, field=field)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InvalidInput(
                f"Extra spec '{key}' must have a string value.", field=f"{field}.{key}"
            )
        value = str(value)
        if len(value) > MAX_NAME:
            raise InvalidInput(
                f"Extra spec '{key}' is longer than {MAX_NAME} characters.", field=f"{field}.{key}"
            )
        problem = known_specs.problem_with(key, value)
        if problem:
            raise InvalidInput(f"Validation failed; {problem}", field=f"{field}.{key}")
        cleaned[key] = value
    return cleaned


def check_integer(value: Any, *, field: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    if isinstance(value, bool):
        raise InvalidInput(f"'{field}' must be an integer.", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"'{field}' must be an integer.", field=field) from None
    if isinstance(value, float) and value != number:
        raise InvalidInput(f"'{field}' must be an integer.", field=field)
    if not minimum <= number <= maximum:
        bounds = between(minimum, maximum, unit_of(field.rsplit(".", 1)[-1]))
        raise InvalidInput(f"'{field}' {bounds}.", field=field)
    return number


def check_ratio(value: Any, *, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"'{field}' must be a number.", field=field) from None
    if not 0 < number < 1e6:
        raise InvalidInput(f"'{field}' must be greater than 0.", field=field)
    return number


def check_project_id(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise InvalidInput("'tenant' must be a project id of 1–255 characters.", field="tenant")
    return value.strip()
