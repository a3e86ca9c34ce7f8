"""The wire-level operations (``hcnpy.ops``) through the stand-in library."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import hcnpy.ops
from hcnpy.bindings import Library, ObjectKind
from hcnpy.errors import HcnError, HcnTimeout, NotFoundError, ValidationError
from hcnpy.features import Feature, FeatureNotSupported, HnsVersion
from hcnpy.hresult import HResult
from hcnpy.lookup_errors import (
    EndpointNotFoundError,
    LoadBalancerNotFoundError,
    NamespaceNotFoundError,
    NetworkNotFoundError,
    RouteNotFoundError,
)
from hcnpy.ops import Ops, make_query
from hcnpy.sim import engine

from ..conftest import NetworkFactory, nat_network

MISSING = "5f0b1190-63be-4e0c-b974-bd0f55675a42"  # hcsshim's random GUID in its error tests


def test_create_get_list_delete_network(ops: Ops) -> None:
    created = ops.create_network(nat_network("natNet"))
    network_id = created["ID"]
    assert uuid.UUID(network_id)
    assert ops.get_network(network_id)["Name"] == "natNet"
    assert ops.get_network(uuid.UUID(network_id))["ID"] == network_id
    assert ops.get_network_by_name("natNet")["ID"] == network_id
    assert [n["ID"] for n in ops.list_networks()] == [network_id]
    ops.delete_network(network_id)
    assert ops.list_networks() == []


def test_lookups_raise_hcsshim_not_found_errors(ops: Ops) -> None:
    cases: list[tuple[Callable[[], Any], type[NotFoundError], str]] = [
        (lambda: ops.get_network_by_name("x"), NetworkNotFoundError, 'Network name "x" not found'),
        (
            lambda: ops.get_network(MISSING),
            NetworkNotFoundError,
            f'Network ID "{MISSING}" not found',
        ),
        (
            lambda: ops.get_endpoint_by_name("y"),
            EndpointNotFoundError,
            'Endpoint name "y" not found',
        ),
        (lambda: ops.get_endpoint(MISSING), EndpointNotFoundError, f'Endpoint ID "{MISSING}"'),
        (lambda: ops.get_namespace(MISSING), NamespaceNotFoundError, f'Namespace ID "{MISSING}"'),
        (
            lambda: ops.get_load_balancer(MISSING),
            LoadBalancerNotFoundError,
            f'LoadBalancer "{MISSING}"',
        ),
        (lambda: ops.get_route(MISSING), RouteNotFoundError, f'SDN Route "{MISSING}" not found'),
    ]
    for call, kind, message in cases:
        with pytest.raises(kind) as caught:
            call()
        assert str(caught.value).startswith(message)
        assert caught.value.hresult == HResult.ERROR_NOT_FOUND
        assert isinstance(caught.value, LookupError)


def test_delete_missing_raises_unless_missing_ok(ops: Ops) -> None:
    deletes: list[Callable[..., None]] = [
        ops.delete_network,
        ops.delete_endpoint,
        ops.delete_namespace,
        ops.delete_load_balancer,
        ops.delete_route,
    ]
    for delete in deletes:
        with pytest.raises(NotFoundError):
            delete(MISSING)
        delete(MISSING, missing_ok=True)


def test_ids_that_are_not_guids_are_rejected_before_sending(ops: Ops) -> None:
    with pytest.raises(ValidationError, match="not a GUID"):
        ops.get_network("not-a-guid")
    with pytest.raises(ValidationError):
        ops.create_endpoint("nope", {})


class _VanishingLibrary:
    """The real library, with another client deleting every listed object right after enumerate."""

    def __init__(self, library: Library) -> None:
        self._library = library

    def __getattr__(self, name: str) -> Any:
        return getattr(self._library, name)

    def enumerate(self, kind: ObjectKind, query: str, *, timeout: float | None = None) -> list[str]:
        ids = self._library.enumerate(kind, query, timeout=timeout)
        for object_id in ids[:-1]:
            self._library.delete(kind, uuid.UUID(object_id))
        return ids


def test_listing_skips_objects_deleted_between_enumerate_and_open(
    ops: Ops, make_network: NetworkFactory
) -> None:
    first = make_network(name="a", prefix="10.1.0.0/24", gateway="10.1.0.1")
    last = make_network(name="b", prefix="10.2.0.0/24", gateway="10.2.0.1")
    racing = Ops(_VanishingLibrary(ops.library))  # type: ignore[arg-type]
    assert [n["ID"] for n in racing.list_networks()] == [last["ID"]]
    with pytest.raises(NetworkNotFoundError):
        ops.get_network(first["ID"])


def test_list_query_filters_by_name(ops: Ops, make_network: NetworkFactory) -> None:
    make_network(name="a", prefix="10.1.0.0/24", gateway="10.1.0.1")
    b = make_network(name="b", prefix="10.2.0.0/24", gateway="10.2.0.1")
    assert [n["ID"] for n in ops.list_networks(make_query({"Name": "b"}))] == [b["ID"]]
    # a Filter given as a dict is encoded into the JSON string HCN expects
    raw = {"SchemaVersion": {"Major": 2, "Minor": 0}, "Filter": {"ID": b["ID"]}}
    assert [n["Name"] for n in ops.list_networks(raw)] == ["b"]


def test_make_query_encodes_the_filter_as_a_string() -> None:
    query = make_query({"Name": "x"}, detailed=True)
    assert query == {
        "SchemaVersion": {"Major": 2, "Minor": 0},
        "Flags": 1,
        "Filter": '{"Name":"x"}',
    }


def test_endpoint_lifecycle_and_endpoints_of_network(
    ops: Ops, make_network: NetworkFactory
) -> None:
    net_a = make_network(name="a", prefix="10.1.0.0/24", gateway="10.1.0.1")
    net_b = make_network(name="b", prefix="10.2.0.0/24", gateway="10.2.0.1")
    ep_a = ops.create_endpoint(net_a["ID"], {"Name": "ep-a"})
    ep_b = ops.create_endpoint(net_b["ID"], {"Name": "ep-b"})
    assert ep_a["HostComputeNetwork"] == net_a["ID"]
    assert [e["ID"] for e in ops.list_endpoints_of_network(net_a["ID"])] == [ep_a["ID"]]
    assert [e["ID"] for e in ops.list_endpoints_of_network(net_b["ID"])] == [ep_b["ID"]]
    assert ops.get_endpoint_by_name("ep-b")["ID"] == ep_b["ID"]
    assert len(ops.list_endpoints()) == 2
    ops.delete_endpoint(ep_a["ID"])
    assert [e["ID"] for e in ops.list_endpoints()] == [ep_b["ID"]]


def test_create_endpoint_refuses_a_namespace(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    with pytest.raises(ValidationError, match="read-only"):
        ops.create_endpoint(network["ID"], {"HostComputeNamespace": MISSING})
    assert ops.list_endpoints() == []


def test_remote_endpoint_gets_the_remote_flag(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    remote = ops.create_remote_endpoint(
        network["ID"], {"IpConfigurations": [{"IpAddress": "10.0.0.50"}], "Flags": 2}
    )
    assert remote["Flags"] & 1 and remote["Flags"] & 2


def test_apply_endpoint_policies_add_update_remove(ops: Ops, make_network: NetworkFactory) -> None:
    endpoint = ops.create_endpoint(make_network()["ID"], {})
    acl: dict[str, Any] = {
        "Type": "ACL",
        "Settings": {"Protocols": "6", "Action": "Allow", "Direction": "In", "Priority": 200},
    }
    after_add = ops.apply_endpoint_policies(endpoint["ID"], "Add", [acl])
    assert [p["Type"] for p in after_add["Policies"]] == ["ACL"]
    updated = {**acl, "Settings": {**acl["Settings"], "Action": "Block"}}
    after_update = ops.apply_endpoint_policies(endpoint["ID"], "Update", [updated])
    assert after_update["Policies"][0]["Settings"]["Action"] == "Block"
    after_remove = ops.apply_endpoint_policies(endpoint["ID"], "Remove", [updated])
    assert not after_remove.get("Policies")
    with pytest.raises(ValidationError):
        ops.apply_endpoint_policies(endpoint["ID"], "Explode", [acl])


def test_network_policies_add_and_remove(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    route = {
        "Type": "RemoteSubnetRoute",
        "Settings": {
            "DestinationPrefix": "192.168.0.0/16",
            "IsolationId": 4096,
            "ProviderAddress": "10.10.0.2",
            "DistributedRouterMacAddress": "00-15-5D-00-00-01",
        },
    }
    added = ops.add_network_policies(network["ID"], [route])
    assert [p["Type"] for p in added["Policies"]] == ["RemoteSubnetRoute"]
    assert ops.get_network(network["ID"])["Policies"][0]["Type"] == "RemoteSubnetRoute"
    removed = ops.remove_network_policies(network["ID"], [route])
    assert not removed.get("Policies")


def test_namespace_endpoint_and_container_ids(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    first = ops.create_endpoint(network["ID"], {})
    second = ops.create_endpoint(network["ID"], {})
    namespace = ops.create_namespace()
    ops.add_namespace_endpoint(namespace["ID"], first["ID"])
    after = ops.add_namespace_endpoint(namespace["ID"], second["ID"])
    assert len(after["Resources"]) == 2
    assert ops.namespace_endpoint_ids(namespace["ID"]) == [first["ID"], second["ID"]]
    assert ops.namespace_container_ids(namespace["ID"]) == []
    assert ops.get_endpoint(first["ID"])["HostComputeNamespace"] == namespace["ID"]
    ops.remove_namespace_endpoint(namespace["ID"], first["ID"])
    assert ops.namespace_endpoint_ids(namespace["ID"]) == [second["ID"]]
    assert "HostComputeNamespace" not in ops.get_endpoint(first["ID"])
    container = {
        "ResourceType": "Container",
        "RequestType": "Add",
        "Settings": {"ContainerId": "c1"},
    }
    ops.modify_namespace(namespace["ID"], container)
    assert ops.namespace_container_ids(namespace["ID"]) == ["c1"]


def test_remove_namespace_endpoint_missing_ok(ops: Ops, make_network: NetworkFactory) -> None:
    endpoint = ops.create_endpoint(make_network()["ID"], {})
    with pytest.raises(NotFoundError):
        ops.remove_namespace_endpoint(MISSING, endpoint["ID"])
    assert ops.remove_namespace_endpoint(MISSING, endpoint["ID"], missing_ok=True) is None


def test_hns_version_is_read_once_per_process(ops: Ops) -> None:
    from hcnpy.sim import state

    assert ops.hns_version() == HnsVersion(15, 4)  # the simulator's default
    state.set_version("9.2")  # the simulated HNS now answers 9.2 ...
    assert tuple(engine.get_engine().simulated_version()) == (9, 2)
    for _ in range(3):
        assert ops.hns_version() == HnsVersion(15, 4)  # ... but this process asked once
    assert engine_calls("HNSCall") == 1
    assert Feature.SET_POLICY in ops.supported_features()
    hcnpy.ops.clear_version_cache()
    assert ops.hns_version() == HnsVersion(9, 2)
    assert Feature.SET_POLICY not in ops.supported_features()
    assert ops.is_supported(Feature.HOST_ROUTE)


def test_a_failed_version_read_is_cached(ops: Ops, restart: Callable[..., None]) -> None:
    restart(faults="HNSCall=E_ACCESSDENIED@1")
    with pytest.raises(HcnError) as first:
        ops.hns_version()
    assert first.value.hresult == HResult.E_ACCESSDENIED
    with pytest.raises(HcnError) as second:
        ops.hns_version()  # HNS would answer now, but the failure is cached (as hcsshim)
    assert second.value is first.value


def test_gated_policy_is_refused_before_anything_is_sent(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    restart(version="11.0", faults="HcnModifyEndpoint=E_FAIL;HcnModifyNetwork=E_FAIL")
    tier_acl = {
        "Type": "TierAcl",
        "Settings": {"Name": "t", "Direction": "In", "Order": 1, "TierAclRules": []},
    }
    with pytest.raises(FeatureNotSupported) as caught:
        ops.apply_endpoint_policies(endpoint["ID"], "Add", [tier_acl])
    assert caught.value.feature is Feature.TIER_ACL
    assert caught.value.hresult == HResult.HCN_E_REQUEST_UNSUPPORTED
    network_acl = {"Type": "NetworkACL", "Settings": {"Action": "Allow", "Direction": "In"}}
    with pytest.raises(FeatureNotSupported):
        ops.add_network_policies(network["ID"], [network_acl])
    with pytest.raises(FeatureNotSupported):
        ops.create_network({**nat_network("v6", "fd00::/64", "fd00::1")})
    # the fault injector counts calls: nothing reached HcnModify*
    assert engine_calls("HcnModifyEndpoint") == 0
    assert engine_calls("HcnModifyNetwork") == 0


class _CallCounter:
    """A trace sink counting the C calls this process made."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()

    def write(self, line: bytes) -> None:
        self.counts[json.loads(line)["function"]] += 1


_calls = _CallCounter()


@pytest.fixture(autouse=True)
def _count_calls(ops: Ops) -> Iterator[None]:
    _calls.counts.clear()
    previous = ops.library.set_trace(_calls)
    yield
    ops.library.set_trace(previous)


def engine_calls(function: str) -> int:
    """How often this process called the C function ``function`` (from the bindings' trace)."""
    return _calls.counts[function]


def test_update_load_balancer_is_feature_gated(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    endpoint = ops.create_endpoint(make_network()["ID"], {})
    lb = ops.add_load_balancer(
        [endpoint["ID"]], internal_port=80, external_port=8080, frontend_vips=["10.9.0.1"]
    )
    with pytest.raises(FeatureNotSupported) as caught:
        ops.update_load_balancer(lb["ID"], {**lb, "SourceVIP": "10.0.0.9"})
    assert caught.value.feature is Feature.MODIFY_LOADBALANCER
    restart(version="15.5")
    updated = ops.update_load_balancer(lb["ID"], {**lb, "SourceVIP": "10.0.0.9"})
    assert updated["ID"] == lb["ID"] and updated["SourceVIP"] == "10.0.0.9"


@pytest.mark.parametrize("version", ["15.4", "16.0"])
def test_load_balancer_backends_keep_the_id(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None], version: str
) -> None:
    restart(version=version)  # 15.4: delete + re-create; 16.0: in-place update
    network = make_network()
    first = ops.create_endpoint(network["ID"], {})
    second = ops.create_endpoint(network["ID"], {})
    lb = ops.add_load_balancer([first["ID"]], internal_port=80, external_port=80)
    grown = ops.add_load_balancer_endpoint(lb["ID"], second["ID"])
    assert grown["ID"] == lb["ID"]
    assert _lower(grown["HostComputeEndpoints"]) == [first["ID"], second["ID"]]
    assert ops.add_load_balancer_endpoint(lb["ID"], second["ID"]) == grown  # already there
    shrunk = ops.remove_load_balancer_endpoint(lb["ID"], first["ID"])
    assert _lower(shrunk["HostComputeEndpoints"]) == [second["ID"]]
    assert [x["ID"] for x in ops.list_load_balancers()] == [lb["ID"]]
    ops.delete_load_balancer(lb["ID"])
    assert ops.list_load_balancers() == []


def test_routes_add_remove_endpoint(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    first = ops.create_endpoint(network["ID"], {})
    second = ops.create_endpoint(network["ID"], {})
    route = ops.add_route([first["ID"]], "10.5.0.0/16", "10.0.0.1", need_encapsulation=True)
    assert route["Routes"] == [
        {"DestinationPrefix": "10.5.0.0/16", "NextHop": "10.0.0.1", "NeedEncap": True}
    ]
    grown = ops.add_route_endpoint(route["ID"], second["ID"])
    assert grown["ID"] == route["ID"]
    assert _lower(grown["HostComputeEndpoints"]) == [first["ID"], second["ID"]]
    # removing an endpoint that is not on the route changes nothing (hcsshim removed the first)
    assert ops.remove_route_endpoint(route["ID"], MISSING) == grown
    shrunk = ops.remove_route_endpoint(route["ID"], first["ID"])
    assert _lower(shrunk["HostComputeEndpoints"]) == [second["ID"]]
    with pytest.raises(ValidationError):
        ops.add_route([], "10.5.0.0/16", "10.0.0.1")
    ops.delete_route(route["ID"])
    assert ops.list_routes() == []


def test_failed_recreate_puts_the_original_back(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    network = make_network()
    first = ops.create_endpoint(network["ID"], {})
    second = ops.create_endpoint(network["ID"], {})
    route = ops.add_route([first["ID"]], "10.5.0.0/16", "10.0.0.1")
    restart(faults="HcnCreateSdnRoute=E_FAIL@1")
    with pytest.raises(HcnError):
        ops.add_route_endpoint(route["ID"], second["ID"])
    assert ops.get_route(route["ID"])["HostComputeEndpoints"] == [first["ID"]]


def test_endpoint_stats(ops: Ops, make_network: NetworkFactory) -> None:
    endpoint = ops.create_endpoint(make_network()["ID"], {})
    stats = ops.endpoint_stats(endpoint["ID"])
    assert stats["EndpointId"] == endpoint["ID"]
    assert stats["PacketsSent"] == 0


def test_timeout_bounds_the_whole_operation(
    ops: Ops, make_network: NetworkFactory, restart: Callable[..., None]
) -> None:
    network = make_network()
    restart(faults="HcnOpenNetwork=stall:400")
    with pytest.raises(HcnTimeout) as caught:
        ops.get_network(network["ID"], timeout=0.1)
    assert caught.value.hresult == HResult.ERROR_TIMEOUT
    slow = Ops(ops.library, timeout=0.1)  # the default applies to every call
    with pytest.raises(HcnTimeout):
        slow.list_networks()
    assert ops.get_network(network["ID"], timeout=5)["ID"] == network["ID"]


def test_import_hcnpy_ops_loads_no_attrs_or_models() -> None:
    code = (
        "import sys, json, hcnpy.ops\n"
        "hcnpy.ops.connect('sim').list_networks\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('attr', 'attrs', 'cattrs')"
        " or m.startswith(('hcnpy.models', 'hcnpy.convert', 'hcnpy.validation', 'hcnpy.client'))]\n"
        "print(json.dumps(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_namespace_attach_detach_without_reading_back(
    ops: Ops, make_network: NetworkFactory
) -> None:
    endpoint = ops.create_endpoint(make_network()["ID"], {})
    namespace = ops.create_namespace()
    queries_before = engine_calls("HcnQueryNamespaceProperties")
    assert ops.add_namespace_endpoint(namespace["ID"], endpoint["ID"], refresh=False) is None
    assert ops.remove_namespace_endpoint(namespace["ID"], endpoint["ID"], refresh=False) is None
    assert engine_calls("HcnQueryNamespaceProperties") == queries_before
    assert ops.namespace_endpoint_ids(namespace["ID"]) == []


def _lower(ids: list[str]) -> list[str]:
    """Load-balancer endpoint references come back upper-case, as real HNS answers them."""
    return [i.lower() for i in ids]
