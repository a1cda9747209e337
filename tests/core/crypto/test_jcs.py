"""The fast canonical encoder agrees with the reference RFC 8785 implementation."""

from __future__ import annotations

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from digitrade.core.crypto.jcs import (
    MAX_EXACT_INTEGER,
    canonicalize,
    canonicalize_plain,
    is_plain_json,
)

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
ascii_keys = st.text(st.characters(max_codepoint=127), max_size=8)
plain = st.recursive(
    st.none() | st.booleans() | st.integers(-MAX_EXACT_INTEGER, MAX_EXACT_INTEGER) | text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ascii_keys, children, max_size=4)
    ),
    max_leaves=20,
)
anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_EXACT_INTEGER, MAX_EXACT_INTEGER)
    | text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(plain)
def test_plain_json_fast_path_is_rfc8785(value):
    assert is_plain_json(value)
    assert canonicalize_plain(value) == rfc8785.dumps(value)


@settings(max_examples=500, deadline=None)
@given(anything)
def test_canonicalize_matches_reference_for_any_json(value):
    assert canonicalize(value) == rfc8785.dumps(value)


def test_what_is_not_plain():
    assert not is_plain_json({"x": 1.5})
    assert not is_plain_json({"\u00e9": 1})  # non-ASCII keys sort by UTF-16 code units in JCS
    assert not is_plain_json([2**53])
    assert canonicalize({"\U0001f600": 1, "\ufb01": 2}) == rfc8785.dumps(
        {"\U0001f600": 1, "\ufb01": 2}
    )


def test_integers_beyond_double_precision_are_refused():
    import pytest

    with pytest.raises(rfc8785.IntegerDomainError):
        canonicalize({"n": 2**53})
