"""UTF-16 strings and GUIDs across the C ABI."""

from __future__ import annotations

import json
import uuid

import pytest

from hcnpy._ffi import CTransport as _CTransport
from hcnpy.bindings import Library, ObjectKind
from hcnpy.guid import Guid, guid, guid_bytes_le, guid_from_bytes_le, new_guid

from . import documents

NAMES = [
    "plain",
    "caf\u00e9-\u00fcber",
    "\u7db2\u7d61-\u0441\u0435\u0442\u044c",
    "emoji-\U0001f600-\U0001f9ea",
    "math-\U0001d49c\U0001d4b7",
]


@pytest.mark.parametrize("name", NAMES)
def test_utf16_round_trip_through_the_stand_in(library: Library, name: str) -> None:
    with library.create(ObjectKind.NETWORK, documents.network(name)) as handle:
        text = library.query(handle, documents.QUERY)
        object_id = uuid.UUID(documents.identity(text))
    try:
        assert json.loads(text)["Name"] == name
    finally:
        library.delete(ObjectKind.NETWORK, object_id)


def test_surrogate_pairs_are_two_code_units() -> None:
    from hcnpy._hcn_cffi import ffi

    buffer = ffi.new("WCHAR[]", "a\U0001f600")
    assert len(buffer) == 4  # 'a', high surrogate, low surrogate, NUL
    assert [ord(c) for c in buffer[0:3]] == [0x61, 0xD83D, 0xDE00]
    assert ffi.string(buffer) == "a\U0001f600"


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.enumerate(ObjectKind.NETWORK, "{}\0"),
        lambda lib: lib.create(ObjectKind.NETWORK, '{"Name":"a\0b"}'),
        lambda lib: lib.hns_call("GET", "/globals/\0version"),
        lambda lib: lib.hns_call("G\0ET", "/globals/version"),
        lambda lib: lib.hns_call("GET", "/globals/version", "\0"),
    ],
)
def test_nul_in_an_input_string_is_rejected_before_the_call(library: Library, call: object) -> None:
    with pytest.raises(ValueError, match="NUL"):
        call(library)  # type: ignore[operator]


def test_non_text_input_is_a_type_error(library: Library) -> None:
    with pytest.raises(TypeError):
        library.enumerate(ObjectKind.NETWORK, b"{}")  # type: ignore[arg-type]


def test_guid_uses_the_windows_mixed_endian_layout(library: Library) -> None:
    transport = library._transport
    assert isinstance(transport, _CTransport)
    value = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
    struct = transport._guid(str(value))
    assert struct.Data1 == 0x00112233
    assert struct.Data2 == 0x4455
    assert struct.Data3 == 0x6677
    assert bytes(struct.Data4) == bytes.fromhex("8899aabbccddeeff")
    from hcnpy._hcn_cffi import ffi

    assert bytes(ffi.buffer(struct, 16)) == value.bytes_le


GUID_TEXTS = [
    "5F0B1190-63BE-4E0C-B974-BD0F55675A42",
    "{5f0b1190-63be-4e0c-b974-bd0f55675a42}",
    "urn:uuid:5f0b1190-63be-4e0c-b974-bd0f55675a42",
    "5f0b119063be4e0cb974bd0f55675a42",
    "00000000-0000-0000-0000-000000000000",
    "5f0b1190-63be-4e0c-b974-bd0f55675a4",
    "5f0b1190-63be-4e0c-b974-bd0f55675a4g",
    "-" + "0" * 31,
    "",
]


@pytest.mark.parametrize("text", GUID_TEXTS)
def test_guid_reads_text_as_uuid_does(text: str) -> None:
    try:
        expected: str | None = str(uuid.UUID(text))
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(ValueError):
            guid(text)
    else:
        assert guid(text) == expected
        assert isinstance(guid(text), Guid)


def test_guid_bytes_match_uuid_bytes_le() -> None:
    for _ in range(200):
        value = uuid.uuid4()
        assert guid(value) == str(value)
        assert guid_bytes_le(str(value)) == value.bytes_le
        assert guid_from_bytes_le(value.bytes_le) == str(value)


def test_new_guid_is_a_version_4_guid() -> None:
    values = {new_guid() for _ in range(100)}
    assert len(values) == 100
    for value in values:
        parsed = uuid.UUID(value)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, value)


def test_library_ids_may_be_guid_text_checked_by_guid(library: Library) -> None:
    wanted = guid("{5F0B1190-63BE-4E0C-B974-BD0F55675A42}")
    with library.create(ObjectKind.NETWORK, documents.network(), object_id=wanted) as handle:
        assert documents.identity(library.query(handle, documents.QUERY)) == wanted
    with library.open(ObjectKind.NETWORK, wanted) as handle:
        assert not handle.closed
    library.delete(ObjectKind.NETWORK, wanted)


def test_explicit_id_reaches_hns_intact(library: Library) -> None:
    wanted = uuid.UUID("5f0b1190-63be-4e0c-b974-bd0f55675a42")
    with library.create(ObjectKind.NETWORK, documents.network(), object_id=wanted) as handle:
        assert documents.identity(library.query(handle, documents.QUERY)) == str(wanted)
    with library.open(ObjectKind.NETWORK, wanted) as handle:
        assert not handle.closed
    assert library.enumerate(ObjectKind.NETWORK, documents.QUERY) == [str(wanted)]
    library.delete(ObjectKind.NETWORK, wanted)


def test_the_nil_guid_lets_hns_choose(library: Library) -> None:
    with library.create(
        ObjectKind.NAMESPACE, documents.namespace(), object_id=uuid.UUID(int=0)
    ) as h:
        chosen = uuid.UUID(documents.identity(library.query(h, documents.QUERY)))
    assert chosen.int != 0
    library.delete(ObjectKind.NAMESPACE, chosen)


def test_ids_must_be_uuid_objects(library: Library) -> None:
    with pytest.raises(TypeError, match="uuid"):
        library.open(ObjectKind.NETWORK, "5f0b1190-63be-4e0c-b974-bd0f55675a42")  # type: ignore[arg-type]
