"""Strategies for CNI result documents in every version's shape, valid and not."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .jsongen import NUMBER_LITERALS, TEXT, Lit, Obj, build, junk

IPV4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
IPV6 = st.sampled_from(
    [
        "::1",
        "fe80::1",
        "2001:db8::10",
        "::",
        "1:2:3:4:5:6:7:8",
        "2001:DB8::A",
        "::1.2.3.4",
        "0001::1",
    ]
)
MAPPED = IPV4.map(lambda a: "::ffff:" + a)
BAD_IP = st.sampled_from(["", "x", "10.1.2", "01.2.3.4", "fe80::1%eth0", "1.2.3.256", " 1.2.3.4"])


def rarely(common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any], odds: int = 12) -> Any:
    """``common`` most of the time, ``rare`` about once in ``odds`` draws."""
    # sampled_from, not integers: Hypothesis favours the bounds of integer ranges.
    return st.sampled_from([True] + [False] * (odds - 1)).flatmap(
        lambda is_rare: rare if is_rare else common
    )


GOOD_CIDR = st.one_of(
    st.tuples(IPV4, st.integers(0, 32)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.tuples(IPV6, st.integers(0, 128)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.tuples(MAPPED, st.integers(0, 128)).map(lambda t: f"{t[0]}/{t[1]}"),
)
CIDR = rarely(
    GOOD_CIDR,
    st.sampled_from(
        ["10.1.2.3/033", "10.1.2.3", "10.1.2.3/33", "x/24", "/24", "10.1.2.3/-1", "::/129"]
    ),
)
GATEWAY = rarely(
    st.one_of(IPV4, IPV6, MAPPED, st.just(""), st.none()),
    st.one_of(BAD_IP, st.just(Lit("5")), st.just([])),
)
INDEX = rarely(st.integers(0, 3), st.one_of(NUMBER_LITERALS, st.just("0"), st.none()), 6)
VERSIONS = ("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0")
VERSION_VALUE = st.one_of(
    st.sampled_from(VERSIONS), st.sampled_from(["", "1.1.0", "0.5.0"]), st.just(Lit("1"))
)
STRINGS = rarely(st.one_of(st.lists(TEXT, max_size=3), st.none()), st.just("x"), 20)


@st.composite
def dns(draw: st.DrawFn) -> Any:
    choice = draw(st.integers(0, 29))
    if choice == 0:
        return None
    if choice == 1:
        return draw(st.sampled_from(["x", Lit("1"), []]))
    fields = []
    for key, strat in (
        ("nameservers", STRINGS),
        ("domain", TEXT),
        ("search", STRINGS),
        ("options", STRINGS),
    ):
        if draw(st.booleans()):
            fields.append((key, draw(strat)))
    return build(draw, fields, junk_keys=False)


def _maybe(
    draw: st.DrawFn, fields: list[tuple[str, Any]], key: str, strat: Any, p: int = 2
) -> None:
    if draw(st.integers(0, p)) != 0:
        fields.append((key, draw(strat)))


@st.composite
def route(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 60)) == 0:
        return draw(st.sampled_from(["x", Lit("2")]))
    fields: list[tuple[str, Any]] = [("dst", draw(CIDR))]
    _maybe(draw, fields, "gw", GATEWAY)
    _maybe(draw, fields, "mtu", NUMBER_LITERALS, 4)
    return build(draw, fields)


@st.composite
def ipconfig(draw: st.DrawFn, with_version: bool) -> Any:
    if draw(st.integers(0, 60)) == 0:
        return draw(st.sampled_from(["x", Lit("2")]))
    fields: list[tuple[str, Any]] = [("address", draw(CIDR))]
    if with_version:
        _maybe(draw, fields, "version", st.sampled_from(["4", "6", "", "5"]), 6)
    _maybe(draw, fields, "gateway", GATEWAY)
    _maybe(draw, fields, "interface", INDEX)
    return build(draw, fields)


@st.composite
def interface(draw: st.DrawFn) -> Any:
    fields: list[tuple[str, Any]] = [("name", draw(TEXT))]
    _maybe(draw, fields, "mac", st.sampled_from(["", "0a:58:0a:f4:00:05", "x"]))
    _maybe(draw, fields, "sandbox", st.sampled_from(["", "/var/run/netns/a", "<&>"]))
    _maybe(draw, fields, "mtu", NUMBER_LITERALS, 4)
    return build(draw, fields)


def _list(strat: Any) -> Any:
    return rarely(st.lists(strat, max_size=3), st.one_of(st.none(), st.just("x")))


@st.composite
def legacy_block(draw: st.DrawFn) -> Any:
    fields: list[tuple[str, Any]] = [("ip", draw(CIDR))]
    _maybe(draw, fields, "gateway", GATEWAY)
    _maybe(draw, fields, "routes", _list(route()))
    return build(draw, fields)


@st.composite
def result_document(draw: st.DrawFn) -> tuple[str, Obj]:
    """``(create_version, document)``: the version mostly matches the document's shape."""
    shape = draw(st.sampled_from(["020", "040", "100"]))
    fields: list[tuple[str, Any]] = []
    own = {"020": ("0.1.0", "0.2.0"), "040": ("0.3.0", "0.3.1", "0.4.0"), "100": ("1.0.0",)}[shape]
    embedded = draw(rarely(st.sampled_from(own), VERSION_VALUE, 6))
    if draw(st.integers(0, 8)) != 0:
        fields.append(("cniVersion", embedded))
    if shape == "020":
        _maybe(draw, fields, "ip4", st.one_of(legacy_block(), st.none()), 5)
        _maybe(draw, fields, "ip6", st.one_of(legacy_block(), st.none()), 2)
    else:
        _maybe(draw, fields, "interfaces", _list(interface()), 3)
        _maybe(draw, fields, "ips", _list(ipconfig(shape == "040")), 6)
        _maybe(draw, fields, "routes", _list(route()), 3)
    _maybe(draw, fields, "dns", dns(), 2)
    document = build(draw, fields)
    usable = embedded in (*VERSIONS, "", "0.5.0") and not isinstance(embedded, Lit)
    version = draw(
        rarely(
            st.just(embedded if usable else own[0]),
            st.sampled_from([*VERSIONS, ""]),
            8,
        )
    )
    return version, document


__all__ = ["junk", "result_document"]
