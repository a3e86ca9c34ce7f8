"""Simulator rules for namespaces: attach and detach."""

from __future__ import annotations

import pytest

from hcnpy.errors import AlreadyExistsError, HcnError, InvalidConfigurationError
from hcnpy.hresult import HResult
from hcnpy.ops import Ops

from ..conftest import NetworkFactory


def test_rule_namespace_attach_and_detach(ops: Ops, make_network: NetworkFactory) -> None:
    network = make_network()
    endpoint = ops.create_endpoint(network["ID"], {})
    first, second = ops.create_namespace(), ops.create_namespace()
    assert first["NamespaceId"] != second["NamespaceId"]  # a new compartment each
    ops.add_namespace_endpoint(first["ID"], endpoint["ID"])

    with pytest.raises(AlreadyExistsError) as again:
        ops.add_namespace_endpoint(first["ID"], endpoint["ID"])
    assert again.value.hresult == HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED
    with pytest.raises(AlreadyExistsError) as elsewhere:
        ops.add_namespace_endpoint(second["ID"], endpoint["ID"])
    assert elsewhere.value.hresult == HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS
    with pytest.raises(HcnError) as not_there:
        ops.remove_namespace_endpoint(second["ID"], endpoint["ID"])
    assert not_there.value.hresult == HResult.HCN_E_ENDPOINT_NOT_ATTACHED

    ops.remove_namespace_endpoint(first["ID"], endpoint["ID"])
    ops.add_namespace_endpoint(second["ID"], endpoint["ID"])  # free to move now
    assert ops.get_endpoint(endpoint["ID"])["HostComputeNamespace"] == second["ID"]

    # deleting a namespace detaches what is still inside
    ops.delete_namespace(second["ID"])
    assert "HostComputeNamespace" not in ops.get_endpoint(endpoint["ID"])


def test_rule_remote_endpoints_cannot_join_a_namespace(
    ops: Ops, make_network: NetworkFactory
) -> None:
    network = make_network()
    remote = ops.create_remote_endpoint(
        network["ID"], {"IpConfigurations": [{"IpAddress": "10.0.0.99"}]}
    )
    namespace = ops.create_namespace()
    with pytest.raises(InvalidConfigurationError) as caught:
        ops.add_namespace_endpoint(namespace["ID"], remote["ID"])
    assert caught.value.hresult == HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION


def test_rule_namespace_types(ops: Ops) -> None:
    host_default = ops.create_namespace({"Type": "HostDefault"})
    assert host_default["NamespaceId"] == 1  # the host's default compartment
    assert ops.create_namespace({"Type": "Guest"})["Type"] == "Guest"
    with pytest.raises(InvalidConfigurationError) as caught:
        ops.create_namespace({"Type": "Sideways"})
    assert caught.value.hresult == HResult.HCN_E_INVALID_JSON
