"""Names of kernel objects: owned prefixes, one instance per state file, 15-character links."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hcnpy.sim.datapath import names
from hcnpy.sim.datapath.names import Names, instance_tag


def test_one_instance_per_state_file(tmp_path: Path) -> None:
    state = tmp_path / "hns.db"
    link = tmp_path / "link.db"
    link.symlink_to(state)
    assert instance_tag(str(state)) == instance_tag(str(link))  # the same file, however named
    assert instance_tag(str(state)) != instance_tag(str(tmp_path / "other.db"))
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert instance_tag("hns.db") == instance_tag(str(state))
    finally:
        os.chdir(cwd)
    tag = instance_tag(str(state))
    assert len(tag) == 8 and int(tag, 16) >= 0


def test_namespace_names() -> None:
    instance = Names("0badcafe")
    namespace_id = "0AD5A4B2-6F0C-4F1E-9D5C-3C1C2B0F9E11"
    netns = instance.namespace(namespace_id)
    assert netns == "hcnsim-0badcafe-0ad5a4b2-6f0c-4f1e-9d5c-3c1c2b0f9e11"
    assert instance.namespace_id(netns) == namespace_id.lower()
    assert instance.namespace_id(instance.host) is None
    assert (instance.host, instance.external) == ("hcnsim-0badcafe-host", "hcnsim-0badcafe-ext")
    assert instance.owns(netns) and not Names("0badcaff").owns(netns)
    assert Names.path(netns) == f"/run/netns/{netns}"


@settings(max_examples=200)
@given(st.lists(st.uuids(), min_size=2, max_size=20, unique=True))
def test_interface_names_fit_and_map_back(ids: list[uuid.UUID]) -> None:
    oids = [str(i) for i in ids]
    for role, make in (("bridge", names.bridge), ("host_port", names.host_port),
                       ("container_port", names.container_port)):  # fmt: skip
        made = [make(oid) for oid in oids]
        assert all(len(name) <= 15 and name.startswith("hcs") for name in made)
        assert all(names.is_role(name, role) for name in made)
        for oid, name in zip(oids, made, strict=True):
            found = names.id_of_interface(name, role, oids)
            # 44 bits of the ID: two IDs sharing them are (astronomically) unlikely
            assert found == oid or make(found or "") == name
    assert not names.is_role(names.HOST_UPLINK, "host_port")
    assert names.acl_table(oids[0]) == "hcnsim_acl_" + oids[0].replace("-", "")
