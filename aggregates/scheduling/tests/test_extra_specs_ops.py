"""Nova's extra-spec operator language, case by case (nova-scheduling.md §4)."""

import pytest

from aggregates.scheduling.extra_specs_ops import (
    ExtraSpecError,
    match,
    requirement_error,
    requirement_warnings,
)

MATCH_CASES = [
    # (host value, requirement, expected, source)
    ("true", "true", True, "§4.1 step 2: plain equality"),
    ("True", "true", False, "§4.1 step 2: case-sensitive"),
    ("true", " true", False, "§4.1 step 2: the whole, unsplit requirement"),
    ("> 2", "> 2", True, "§4.1 step 2: '>' is not an operator, literal equality"),
    ("3", "> 2", False, "§4.1: there is no numeric '>'"),
    ("124", "= 123", True, "§4.2: '=' means at least"),
    ("123", "= 123", True, "§4.2: '=' means at least"),
    ("1.99", "= 2", False, "§4.2"),
    ("2.0", "== 2", True, "§4.2: numeric equality"),
    ("2.0", "s== 2", False, "§4.2: string equality"),
    ("3", "!= 2", True, "§4.1 table"),
    ("2", "!= 2.0", False, "§4.1 table"),
    ("9", ">= 10", False, "§4.2: numeric"),
    ("9", "s>= 10", True, "§4.2: lexicographic"),
    ("10", "<= 10", True, "§4.1 table"),
    ("b", "s> a", True, "§4.1 table: code points"),
    ("a", "s< b", True, "§4.1 table"),
    ("a", "s<= a", True, "§4.1 table"),
    ("a", "s!= a", False, "§4.1 table"),
    ("12311321", "<in> 11", True, "§4.2: substring"),
    ("['aes', 'mmx']", "<in> AES", False, "§4.2: case-sensitive"),
    ("['aes', 'mmx', 'aux']", "<all-in> aes mmx", True, "§4.2"),
    ("['aes', 'mmx', 'aux']", "<all-in> mm", True, "§4.2: substring, not membership"),
    ("['aes', 'mmx', 'aux']", "<all-in> txt aes", False, "§4.2"),
    ("12", "<or> 11 <or> 12", True, "§4.2"),
    ("12", "<or> 11 12 13", False, "§4.2: every second word is skipped"),
    ("13", "<or> 11 12 13", True, "§4.2"),
    ("1.0", "<or> 1 <or> 2", False, "§4.2: string compare"),
    ("a b", "<or> a b", False, "§4.2: a value with a space never matches <or>"),
    ("", "=", False, "§4.2: operator without operand"),
    ("", "<=", False, "§4.2"),
    ("", "s==", False, "§4.2"),
    ("x", "<in>", False, "§4.2"),
    ("foo", "s== foo bar", True, "§4.2: only the first operand"),
    ("12311", "<in> 11 <in> 99", True, "§4.2"),
    ("2", "==2", False, "§4.2: operators need a following space"),
    ("==2", "==2", True, "§4.2: plain text equals itself"),
    ("1", "S== 1", False, "§4.2: operators are case-sensitive"),
    ("", "", True, "§4.2: empty requirement matches only the empty value"),
    ("x", "", False, "§4.2"),
    (None, "= 1", False, "§4.1 step 3: null value"),
    (None, "<or>", False, "§4.1 step 3 comes before <or>"),
    (None, "true", False, "§4.1 step 2: None is not equal"),
]


@pytest.mark.parametrize(("value", "requirement", "expected", "source"), MATCH_CASES)
def test_match_follows_nova(value, requirement, expected, source):
    assert match(value, requirement) is expected, source


ERROR_CASES = [
    ("x", "<or>", "§4.2: <or> with nothing after it raises IndexError"),
    ("5", "= abc", "§4.2: non-numeric operand raises ValueError"),
    ("abc", ">= 2", "§4.2: non-numeric value raises ValueError"),
    ("", "== 2", "§4.2: empty value raises ValueError"),
    ("2", "!= two", "§4.1 table: numeric operators use float()"),
]


@pytest.mark.parametrize(("value", "requirement", "source"), ERROR_CASES)
def test_match_raises_where_nova_raises(value, requirement, source):
    with pytest.raises(ExtraSpecError) as caught:
        match(value, requirement, key="speed")
    assert caught.value.key == "speed", source


@pytest.mark.parametrize(
    ("requirement", "is_error"),
    [
        ("<or>", True),  # §4.2
        ("= abc", True),  # §4.2
        (">= 2", False),
        ("=", False),  # §4.2: no operand -> false, not an error
        ("true", False),
        ("", False),
    ],
)
def test_requirement_error_flags_specs_nova_cannot_evaluate(requirement, is_error):
    # nova-scheduling.md §4.2: report "Nova would fail" rather than guess.
    error = requirement_error(requirement, key="k")
    assert (error is not None) is is_error
    if error is not None:
        assert error.key == "k"


@pytest.mark.parametrize(
    ("requirement", "fragment"),
    [
        ("==2", "not an operator"),  # §4.2
        ("> 2", "not a Nova operator"),  # §4.1
        ("= 4", "at least"),  # §4.2
        ("<or> a b c", "every second word"),  # §4.2
        ("s== a b", "only the first operand"),  # §4.2
        ("<all-in> aes", "substrings"),  # §4.2
        (" true", "surrounding spaces"),  # §4.2
        ("s==", "never matches"),  # §4.2
    ],
)
def test_requirement_warnings_explain_surprising_readings(requirement, fragment):
    notes = requirement_warnings(requirement, "k")
    assert any(fragment in note for note in notes), notes


def test_plain_values_get_no_warning():
    assert requirement_warnings("true", "coolhardware") == []
    assert requirement_warnings("<or> a <or> b", "k") == []
