"""Namespace, namespace resources and namespace modify requests."""

from hcnpy import (
    ModifyNamespaceSettingRequest,
    ModifyResourceType,
    Namespace,
    NamespaceContainerRequest,
    NamespaceResource,
    NamespaceResourceContainer,
    NamespaceResourceEndpoint,
    NamespaceResourceType,
    NamespaceType,
    RequestType,
    from_dict,
    to_dict,
)


def test_namespace_defaults_to_host() -> None:
    assert Namespace().type is NamespaceType.HOST
    assert to_dict(Namespace()) == {"Type": "Host", "SchemaVersion": {"Major": 2, "Minor": 0}}
    assert [t.value for t in NamespaceType] == ["Host", "HostDefault", "Guest", "GuestDefault"]


def test_namespace_fields_in_order() -> None:
    namespace = Namespace(
        id="I", namespace_id=7, type=NamespaceType.GUEST, namespace_guid="G",
        resources=(NamespaceResource.container("c"),),
    )  # fmt: skip
    doc = to_dict(namespace)
    assert list(doc) == ["ID", "NamespaceId", "Type", "Resources", "SchemaVersion", "NamespaceGuid"]
    assert doc["Resources"] == [{"Type": "Container", "Data": {"ID": "c"}}]
    assert from_dict(Namespace, doc) == namespace


def test_resource_helpers() -> None:
    assert NamespaceResource.endpoint("E") == NamespaceResource(
        type=NamespaceResourceType.ENDPOINT, data=NamespaceResourceEndpoint(id="E")
    )
    assert NamespaceResource.container("C").data == NamespaceResourceContainer(id="C")


def test_add_and_remove_endpoint_requests() -> None:
    add = ModifyNamespaceSettingRequest.add_endpoint("E")
    remove = ModifyNamespaceSettingRequest.remove_endpoint("E")
    assert to_dict(add) == {
        "ResourceType": "Endpoint",
        "RequestType": "Add",
        "Settings": {"EndpointId": "E"},
    }
    assert to_dict(remove)["RequestType"] == "Remove"
    assert from_dict(ModifyNamespaceSettingRequest, to_dict(remove)) == remove


def test_container_request() -> None:
    request = ModifyNamespaceSettingRequest(
        resource_type=ModifyResourceType.CONTAINER,
        request_type=RequestType.ADD,
        settings=NamespaceContainerRequest(container_id="c"),
    )
    assert to_dict(request)["Settings"] == {"ContainerId": "c"}
    assert from_dict(ModifyNamespaceSettingRequest, to_dict(request)) == request
