"""Package exports: lazy, complete and consistent with the one name → module table."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import hcnpy
import hcnpy.models
import hcnpy.models.policies
from hcnpy._exports import EXPORTS

ROOT = Path(hcnpy.__file__).parent


def _type_checking_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.ImportFrom):
                    names.update(alias.asname or alias.name for alias in stmt.names)
    names.discard("Any")
    return names


def test_import_hcnpy_loads_neither_attrs_nor_models() -> None:
    code = (
        "import sys, hcnpy; "
        "bad = [m for m in ('attrs', 'cattrs', 'typing', 'json', 'hcnpy.models') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_touching_network_does_not_load_other_kinds_or_cattrs() -> None:
    code = (
        "import sys, hcnpy; hcnpy.Network; "
        "print(sorted(m for m in sys.modules if m.startswith(('hcnpy', 'cattrs'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout.strip()))
    assert "hcnpy.models.network" in loaded
    assert not loaded & {
        "cattrs",
        "hcnpy.convert",
        "hcnpy.models.endpoint",
        "hcnpy.models.loadbalancer",
        "hcnpy.models.policies.endpoint",
        "hcnpy.models.policies.acl",
    }


def test_every_exported_name_resolves_to_its_module() -> None:
    for name, module in EXPORTS.items():
        value = getattr(hcnpy, name)
        assert value is getattr(importlib.import_module(module), name)
    assert sorted(hcnpy.__all__) == sorted(EXPORTS)
    assert set(hcnpy.__all__) <= set(dir(hcnpy))


def test_type_checking_blocks_match_the_table() -> None:
    assert _type_checking_names(ROOT / "__init__.py") == set(EXPORTS)
    for package in (hcnpy.models, hcnpy.models.policies):
        path = Path(package.__file__ or "")
        assert _type_checking_names(path) == set(package.__all__)
        for name in package.__all__:
            assert getattr(package, name) is getattr(hcnpy, name)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError):
        hcnpy.NoSuchThing  # noqa: B018
    with pytest.raises(AttributeError):
        hcnpy.models.NoSuchThing  # noqa: B018


def test_issue_names_are_exported() -> None:
    for name in [
        "Network", "Endpoint", "Namespace", "LoadBalancer", "SdnRoute", "Ipam", "Subnet",
        "Route", "MacPool", "MacRange", "Dns", "IpConfig", "NamespaceResource",
        "LoadBalancerPortMapping", "HostComputeQuery", "SchemaVersion", "Health",
        "ModifyNetworkSettingRequest", "ModifyEndpointSettingRequest",
        "ModifyNamespaceSettingRequest", "PolicyNetworkRequest", "PolicyEndpointRequest",
        "NamespaceEndpointRequest", "VmEndpointRequest", "HcnError", "ValidationError",
        "FeatureNotSupported", "HcnUnavailable", "HResult", "to_dict", "from_dict",
        "to_json", "from_json", "validate", "required_features", "policy_feature",
    ]:  # fmt: skip
        assert name in hcnpy.__all__, name
