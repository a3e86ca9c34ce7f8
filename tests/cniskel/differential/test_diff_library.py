"""CNI_ARGS, versions, plugin info, config versions and prevResult against the Go library."""

from __future__ import annotations

import base64
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cniskel._dispatch_full import _config_version
from cniskel._gojson import GoDecodeError, loads
from cniskel._version import VersionError, greater_than_or_equal, parse_version
from cniskel.args import ArgsError, CommonArgs, K8sArgs, NetIP
from cniskel.context import parse_prev_result
from cniskel.errors import CniError
from cniskel.invoke import InvokeError, decode_plugin_info
from cniskel.result import ResultError

from .conftest import PROFILE
from .goref import Oracle, b64, unb64
from .jsongen import CHARACTERS, Lit, Obj, build, dump, junk
from .results_gen import result_document

# --- CNI_ARGS ------------------------------------------------------------------------


class CustomArgs(CommonArgs):
    IP: NetIP = NetIP()
    Flag: bool = False
    Label: str = ""


SPECS: dict[str, type[CommonArgs]] = {"common": CommonArgs, "k8s": K8sArgs, "custom": CustomArgs}
ARG_KEYS = st.sampled_from(
    ["IP", "Flag", "Label", "IgnoreUnknown", "K8S_POD_NAME", "K8S_POD_NAMESPACE", "X", "ip", ""]
)
ARG_VALUES = st.one_of(
    st.sampled_from(
        ["", "1", "0", "true", "TRUE", "False", "yes", "10.1.2.3", "::1", "::ffff:1.2.3.4"]
    ),
    st.sampled_from(["fe80::1%eth0", "01.2.3.4", "x y", "\t", "\x7f", "é", "İ", "\u200b"]),
    st.text(CHARACTERS.filter(lambda ch: ch not in ";=\x00"), max_size=6),
)


@st.composite
def args_strings(draw: st.DrawFn) -> bytes:
    pairs = []
    for _ in range(draw(st.integers(0, 4))):
        shape = draw(st.integers(0, 12))
        key, value = draw(ARG_KEYS), draw(ARG_VALUES)
        if shape == 0:
            pairs.append(key)  # no '='
        elif shape == 1:
            pairs.append(f"{key}={value}={value}")
        else:
            pairs.append(f"{key}={value}")
    text = ";".join(pairs).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 15)) == 0:
        text += b"\xff"  # an environment can hold any bytes
    return text


def as_go_text(text: str) -> str:
    """``text`` as the oracle's JSON carries a Go string: invalid bytes as U+FFFD."""
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


def args_answer(spec: str, raw: str) -> dict[str, Any]:
    try:
        loaded = SPECS[spec].load(raw)
    except ArgsError as exc:
        return {"error": as_go_text(str(exc))}
    value: dict[str, Any] = {"IgnoreUnknown": bool(getattr(loaded, "IgnoreUnknown", False))}
    for name in ("K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID"):
        if spec == "k8s":
            value[name] = b64(getattr(loaded, name).encode("utf-8", "surrogateescape"))
    if spec == "custom":
        ip = loaded.IP  # type: ignore[attr-defined]
        value["IP"] = str(ip) if ip else None
        value["Flag"] = loaded.Flag  # type: ignore[attr-defined]
        value["Label"] = b64(loaded.Label.encode("utf-8", "surrogateescape"))  # type: ignore[attr-defined]
    return {"value": value}


@settings(settings.get_profile(PROFILE))
@given(args_strings(), st.sampled_from(sorted(SPECS)))
def test_cni_args_match_go(oracle: Oracle, raw: bytes, spec: str) -> None:
    expected = oracle.ask("args", spec=spec, data=b64(raw))
    assert args_answer(spec, raw.decode("utf-8", "surrogateescape")) == expected, raw


# --- versions ------------------------------------------------------------------------

VERSION_TEXT = st.one_of(
    st.sampled_from(["", "0.1.0", "0.4.0", "1.0.0", "1.1.0", "1", "1.2", "1.2.3.4", "..", "0."]),
    st.lists(
        st.one_of(
            st.integers(0, 12).map(str),
            st.sampled_from(["+1", "-1", "007", "x", "", " 1", "9223372036854775807"]),
            st.sampled_from(["9223372036854775808", "-9223372036854775809", "1" * 30, "\u0661"]),
        ),
        min_size=1,
        max_size=4,
    ).map(".".join),
)


def version_answer(a: str, b: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        out["parse"] = {"value": list(parse_version(a))}
    except VersionError as exc:
        out["parse"] = {"error": str(exc)}
    try:
        out["gte"] = {"value": greater_than_or_equal(a, b)}
    except VersionError as exc:
        out["gte"] = {"error": str(exc)}
    return out


@settings(settings.get_profile(PROFILE))
@given(VERSION_TEXT, VERSION_TEXT)
def test_versions_match_go(oracle: Oracle, a: str, b: str) -> None:
    assert version_answer(a, b) == oracle.ask("version", version=a, other=b)


# --- plugin info (a VERSION answer as a runtime decodes it) ----------------------------

VERSION_VALUE = st.one_of(
    st.sampled_from(["0.2.0", "1.0.0", "0.3.0", "", "x"]), st.none(), st.just(Lit("1"))
)


@st.composite
def plugin_infos(draw: st.DrawFn) -> bytes:
    fields: list[tuple[str, Any]] = []
    if draw(st.integers(0, 5)):
        fields.append(("cniVersion", draw(VERSION_VALUE)))
    if draw(st.integers(0, 3)):
        listed = st.lists(st.one_of(VERSION_VALUE, st.just(Lit("2"))), max_size=3)
        fields.append(("supportedVersions", draw(st.one_of(listed, st.none(), st.just("x")))))
    document: Any = build(draw, fields)
    if draw(st.integers(0, 20)) == 0:
        document = draw(junk(1))
    text = dump(document).encode()
    if draw(st.integers(0, 20)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


def plugin_info_answer(data: bytes) -> dict[str, Any]:
    try:
        info = decode_plugin_info(data)
    except InvokeError as exc:
        return {"error": str(exc)}
    from cniskel._gojson import marshal

    return {"out": b64(marshal(info.to_dict()) + b"\n")}


@settings(settings.get_profile(PROFILE))
@given(plugin_infos())
def test_plugin_info_matches_go(oracle: Oracle, data: bytes) -> None:
    expected = oracle.ask("plugininfo", data=b64(data))
    if "out" in expected:
        # Documented divergence: the 0.2.0 fallback carries the library's own version,
        # 1.1.0 here where Debian's libcni 1.1.2 says 1.0.0.
        text = unb64(expected["out"]).replace(
            b'"cniVersion":"1.0.0","supportedVersions":["0.1.0","0.2.0"]',
            b'"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0"]',
        )
        expected["out"] = base64.b64encode(text).decode()
    assert plugin_info_answer(data) == expected, data


# --- the config's version (skel's ConfigDecoder) ----------------------------------------


@st.composite
def configs(draw: st.DrawFn) -> bytes:
    fields: list[tuple[str, Any]] = [("name", draw(st.sampled_from(["n", Lit("5")])))]
    if draw(st.integers(0, 5)):
        fields.append(("cniVersion", draw(VERSION_VALUE)))
    if draw(st.booleans()):
        fields.append(("cniVersion", draw(VERSION_VALUE)))
    text = dump(build(draw, fields)).encode()
    if draw(st.integers(0, 20)) == 0:
        text = b"\xef\xbb\xbf" + text
    return text


def conf_version_answer(data: bytes) -> dict[str, Any]:
    try:
        decoded = loads(data)
    except GoDecodeError as exc:
        return {"error": f"decoding version from network config: {exc}"}
    try:
        return {"value": _config_version(decoded)}
    except CniError as exc:
        return {"error": exc.msg}


@settings(settings.get_profile(PROFILE))
@given(configs())
def test_config_version_matches_go(oracle: Oracle, data: bytes) -> None:
    assert conf_version_answer(data) == oracle.ask("confversion", data=b64(data)), data


# --- prevResult (a config decoded into types.NetConf, then version.ParsePrevResult) -------


@st.composite
def configs_with_prev_result(draw: st.DrawFn) -> bytes:
    version, prev = draw(result_document())
    config_version = draw(st.sampled_from([version, "", "0.4.0", "1.0.0", "0.2.0"]))
    fields: list[tuple[str, Any]] = [("name", "n")]
    if config_version:
        fields.append(("cniVersion", config_version))
    if draw(st.integers(0, 3)):
        if draw(st.integers(0, 4)) == 0:
            prev = Obj([*prev, ("CNIVersion", draw(st.sampled_from(["", "0.4.0", Lit("1")])))])
        fields.append(("prevResult", prev if draw(st.integers(0, 20)) else draw(junk(0))))
    return dump(build(draw, fields, junk_keys=False)).encode("utf-8", "surrogatepass")


def prev_result_answer(data: bytes) -> dict[str, Any]:
    decoded = loads(data)
    version = _config_version(decoded)
    try:
        prev = parse_prev_result(decoded, version)
    except CniError as exc:
        return {"error": exc.msg.removeprefix("could not parse prevResult: ")}
    if prev is None:
        return {"absent": True}
    try:
        printed: dict[str, str] = {"out": b64(prev.to_json(version))}
    except ResultError as exc:
        printed = {"error": str(exc)}
    return {"version": prev.cni_version, "print": printed}


@settings(settings.get_profile(PROFILE))
@given(configs_with_prev_result())
def test_prev_result_matches_go(oracle: Oracle, data: bytes) -> None:
    expected = oracle.ask("prevresult", data=b64(data))
    if "decode_error" in expected:
        expected = {"error": expected["decode_error"]}
    elif "error" in expected:
        expected["error"] = expected["error"].removeprefix("could not parse prevResult: ")
    assert prev_result_answer(data) == expected, data
