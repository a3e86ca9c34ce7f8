"""One scenario's session with HNS: the calls it makes, and everything it must undo.

Every object a scenario creates gets a fresh ID (or, when HNS picks it, the ID is read back
at once) and is put on the cleanup stack *before* the create call, so a create that fails
half-way (HNS leaves partial load balancers behind) is cleaned up too. :meth:`Probe.cleanup`
runs in reverse order: close handles, undo changes (containers taken out of namespaces), delete
by ID. A delete that fails is checked with an unfiltered enumerate: an object that is gone is
fine, one that is still there is reported (:attr:`Probe.leftovers`), never hidden. Nothing
else on the host is touched.

``attempt_*`` methods make the call under test and return its outcome (``S_OK`` or the
HRESULT); the others are set-up steps and raise :class:`ScenarioBroken` when HNS refuses.
A missing export makes the scenario not applicable.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
from collections.abc import Callable, Mapping
from typing import Any

from ..bindings import Handle, Library, ObjectKind
from ..errors import HcnError, HcnTimeout, HcnUnavailable
from ..guid import Guid, guid, new_guid
from ._addresses import AddressPlan
from ._outcome import OK, ScenarioBroken, code, unavailable

__all__ = ["DEFAULT_QUERY", "Net", "Probe", "Run", "query_text"]

NETWORK, ENDPOINT, NAMESPACE = ObjectKind.NETWORK, ObjectKind.ENDPOINT, ObjectKind.NAMESPACE
LOAD_BALANCER, SDN_ROUTE = ObjectKind.LOAD_BALANCER, ObjectKind.SDN_ROUTE


def query_text(major: int = 2, minor: int = 0, flags: int = 0) -> str:
    """A ``HostComputeQuery`` document (hcsshim's default is 2.0 with no flags)."""
    return json.dumps({"SchemaVersion": {"Major": major, "Minor": minor}, "Flags": flags})


DEFAULT_QUERY = query_text()

_AUTO = Guid("auto")


class Run:
    """What the scenarios of one run share: the library, the name prefix, the addresses."""

    def __init__(
        self, library: Library, prefix: str, plan: AddressPlan, timeout: float | None = None
    ) -> None:
        self.library = library
        self.prefix = prefix
        self.plan = plan
        self.timeout = timeout
        self._names = itertools.count(1)

    def name(self) -> str:
        """A fresh object name: ``<prefix>-<n>``."""
        return f"{self.prefix}-{next(self._names)}"


class Net:
    """A network a scenario created: its ID, its IPv4 subnet and gateway."""

    def __init__(self, network_id: str, prefix: ipaddress.IPv4Network, gateway: str | None):
        self.id = network_id
        self.prefix = prefix
        self.gateway = gateway

    def host(self, index: int) -> str:
        """The ``index``-th address of the subnet (``host(2)`` is ``.2`` of a /24)."""
        return str(self.prefix.network_address + index)


class _Delete:
    __slots__ = ("created", "done", "kind", "object_id")

    def __init__(self, kind: ObjectKind, object_id: str) -> None:
        self.kind = kind
        self.object_id = object_id
        self.done = False
        #: False after a failed create: the object is deleted only if HNS kept it anyway.
        self.created = True


class _Undo:
    __slots__ = ("action", "done", "label")

    def __init__(self, label: str, action: Callable[[], None]) -> None:
        self.label = label
        self.action = action
        self.done = False


class Probe:
    """The calls of one scenario on ``run.library``, and their cleanup."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.library = run.library
        self._steps: list[_Delete | _Undo] = []
        self._handles: list[Handle] = []
        #: Why cleanup steps failed (one line each).
        self.cleanup_failures: list[str] = []
        #: ``(kind, ID)`` of objects a failed cleanup left on the host.
        self.leftovers: list[tuple[str, str]] = []

    # -- names and addresses --------------------------------------------------------------

    def name(self) -> str:
        """A fresh object name."""
        return self.run.name()

    def subnet(self, prefix: int = 27) -> ipaddress.IPv4Network:
        """A fresh IPv4 subnet of the run's block."""
        return self.run.plan.subnet(prefix)

    def subnet6(self) -> ipaddress.IPv6Network:
        """A fresh IPv6 /64."""
        return self.run.plan.subnet6()

    def vip(self) -> str:
        """A fresh frontend address."""
        return self.run.plan.vip()

    def port(self) -> int:
        """A fresh host port."""
        return self.run.plan.port()

    # -- calls ---------------------------------------------------------------------------

    def _call(self, what: str, call: Callable[[], Any]) -> Any:
        """Run a set-up call: a missing export is not applicable, a failure breaks the scenario."""
        try:
            return call()
        except HcnUnavailable as exc:
            raise unavailable(exc) from None
        except HcnError as exc:
            raise ScenarioBroken(
                f"set-up step failed: {exc.operation or what} {code(exc.hresult)}", str(exc)
            ) from None

    def _attempt(self, call: Callable[[], Any]) -> str:
        """Run the call under test; its outcome."""
        try:
            call()
        except HcnUnavailable as exc:
            raise unavailable(exc) from None
        except HcnTimeout:
            raise
        except HcnError as exc:
            return code(exc.hresult) if exc.hresult else f"{OK} with an error record"
        return OK

    def _text(self, doc: Mapping[str, Any] | list[Any] | str) -> str:
        return doc if isinstance(doc, str) else json.dumps(doc)

    def create(
        self,
        kind: ObjectKind,
        doc: Mapping[str, Any] | str,
        *,
        network: str | Handle | None = None,
        object_id: Guid | None = _AUTO,
    ) -> str:
        """Create an object (set-up step); returns its ID."""
        outcome, created = self._create(kind, doc, network, object_id)
        if created is None:
            raise ScenarioBroken(
                f"set-up step failed: {kind.function('Create')} {outcome}", self.last_error
            )
        return created

    def attempt_create(
        self,
        kind: ObjectKind,
        doc: Mapping[str, Any] | list[Any] | str,
        *,
        network: str | Handle | None = None,
        object_id: Guid | None = _AUTO,
    ) -> str:
        """Try a create; its outcome (what it created is cleaned up like any other object)."""
        return self._create(kind, doc, network, object_id)[0]

    def create_outcome(
        self,
        kind: ObjectKind,
        doc: Mapping[str, Any] | str,
        *,
        network: str | Handle | None = None,
        object_id: Guid | None = _AUTO,
    ) -> tuple[str, str | None]:
        """Try a create; its outcome and, when it succeeded, the new object's ID."""
        return self._create(kind, doc, network, object_id)

    def _create(
        self,
        kind: ObjectKind,
        doc: Mapping[str, Any] | list[Any] | str,
        network: str | Handle | None,
        object_id: Guid | None,
    ) -> tuple[str, str | None]:
        wanted = new_guid() if object_id is _AUTO else object_id
        step = None if wanted is None else _Delete(kind, wanted)
        if step is not None:
            self._steps.append(step)
        settings = self._text(doc)
        self.last_error = ""
        self.last_failure = None
        parent: Handle | None = None
        if isinstance(network, Handle):
            parent = network
        elif network is not None:
            parent = self._call("open network", lambda: self._open(NETWORK, network))
        handle: Handle | None = None
        try:
            handle = self.library.create(
                kind, settings, object_id=wanted, network=parent, timeout=self.run.timeout
            )
        except HcnUnavailable as exc:
            raise unavailable(exc) from None
        except HcnTimeout:
            raise
        except HcnError as exc:
            self.last_error = str(exc)
            self.last_failure = exc
            if step is not None:
                step.created = False
            return code(exc.hresult), None
        finally:
            if parent is not None and not isinstance(network, Handle):
                parent.close()
        try:
            with handle:
                props = self._call(
                    "read the new object", lambda: self._query(handle, DEFAULT_QUERY)
                )
        except ScenarioBroken:
            if wanted is None:  # HNS chose the ID, and it could not be read: say so
                self.cleanup_failures.append(
                    f"a new {kind.value} was created, but its ID could not be read to delete it"
                )
            raise
        created = str(props.get("ID") or props.get("Id") or "")
        try:
            created = guid(created)
        except ValueError:
            raise ScenarioBroken(
                f"{kind.function('Query')} answered no ID for a new object",
                f"properties: {props!r}",
            ) from None
        if wanted is None or created != guid(wanted):
            self._steps.append(_Delete(kind, created))
        return OK, created

    def _open(self, kind: ObjectKind, object_id: str) -> Handle:
        return self.library.open(kind, guid(object_id), timeout=self.run.timeout)

    def _query(self, handle: Handle, query: str) -> dict[str, Any]:
        text = self.library.query(handle, query, timeout=self.run.timeout)
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise ScenarioBroken("properties are not a JSON object", text[:200])
        return value

    def open(self, kind: ObjectKind, object_id: str) -> Handle:
        """Open a handle (closed at cleanup, if the scenario has not closed it)."""
        handle: Handle = self._call(kind.function("Open"), lambda: self._open(kind, object_id))
        self._handles.append(handle)
        return handle

    def attempt_open(self, kind: ObjectKind, object_id: str) -> str:
        """Try an open (the handle is closed at once); its outcome."""
        return self._attempt(lambda: self._open(kind, object_id).close())

    def props(self, kind: ObjectKind, object_id: str, query: str = DEFAULT_QUERY) -> dict[str, Any]:
        """The object's properties (open, query, close)."""

        def read() -> dict[str, Any]:
            with self._open(kind, object_id) as handle:
                return self._query(handle, query)

        result: dict[str, Any] = self._call(kind.function("Query"), read)
        return result

    def attempt_query(self, handle: Handle, query: str = DEFAULT_QUERY) -> str:
        """Try a query on an open handle; its outcome."""
        return self._attempt(lambda: self._query(handle, query))

    def exists(self, kind: ObjectKind, object_id: str) -> bool:
        """Whether an unfiltered enumerate lists ``object_id``."""
        ids = self._call(
            kind.function("Enumerate"),
            lambda: self.library.enumerate(kind, DEFAULT_QUERY, timeout=self.run.timeout),
        )
        wanted = guid(object_id)
        return any(_same_guid(item, wanted) for item in ids)

    def enumerate(self, kind: ObjectKind, query: str = DEFAULT_QUERY) -> list[str]:
        """The IDs an enumerate answers, as HNS spelled them."""
        ids: list[str] = self._call(
            kind.function("Enumerate"),
            lambda: self.library.enumerate(kind, query, timeout=self.run.timeout),
        )
        return ids

    def attempt_enumerate(self, kind: ObjectKind, query: str) -> str:
        """Try an enumerate; its outcome."""
        return self._attempt(lambda: self.library.enumerate(kind, query, timeout=self.run.timeout))

    def modify(self, kind: ObjectKind, object_id: str, request: Mapping[str, Any]) -> None:
        """Apply a modify request (set-up step)."""
        outcome = self.attempt_modify(kind, object_id, request)
        if outcome != OK:
            raise ScenarioBroken(
                f"set-up step failed: {kind.function('Modify')} {outcome}", self.last_error
            )

    def attempt_modify(
        self, kind: ObjectKind, object_id: str, request: Mapping[str, Any] | str
    ) -> str:
        """Try a modify request; its outcome."""
        handle = self.open(kind, object_id)
        try:
            return self.attempt_modify_handle(handle, request)
        finally:
            handle.close()

    def attempt_modify_handle(self, handle: Handle, request: Mapping[str, Any] | str) -> str:
        """Try a modify request on an open handle; its outcome."""
        self.last_error = ""

        def call() -> None:
            try:
                self.library.modify(handle, self._text(request), timeout=self.run.timeout)
            except HcnError as exc:
                self.last_error = str(exc)
                raise

        return self._attempt(call)

    def delete(self, kind: ObjectKind, object_id: str) -> None:
        """Delete an object the scenario created (set-up step)."""
        outcome = self.attempt_delete(kind, object_id)
        if outcome != OK:
            raise ScenarioBroken(f"set-up step failed: {kind.function('Delete')} {outcome}")

    def attempt_delete(self, kind: ObjectKind, object_id: str) -> str:
        """Try a delete; its outcome. A deleted object needs no cleanup."""
        outcome = self._attempt(
            lambda: self.library.delete(kind, guid(object_id), timeout=self.run.timeout)
        )
        if outcome == OK:
            for step in self._steps:
                if isinstance(step, _Delete) and _same_guid(step.object_id, object_id):
                    step.done = True
        return outcome

    def hns_call(self, method: str, path: str) -> dict[str, Any]:
        """An ``HNSCall`` answer's envelope (``{"Success", "Error", "Output"}``)."""
        text: str = self._call(
            "HNSCall", lambda: self.library.hns_call(method, path, timeout=self.run.timeout)
        )
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise ScenarioBroken("HNSCall answered something that is not a JSON object", text[:200])
        return value

    def endpoint_query(self, function: str, endpoint: str) -> dict[str, Any]:
        """``HcnQueryEndpointStats`` or ``HcnQueryEndpointAddresses`` of an endpoint."""
        method = (
            self.library.query_endpoint_stats
            if function == "HcnQueryEndpointStats"
            else self.library.query_endpoint_addresses
        )

        def call() -> str:
            with self._open(ENDPOINT, endpoint) as handle:
                return method(handle, DEFAULT_QUERY, timeout=self.run.timeout)

        text: str = self._call(function, call)
        try:
            value = json.loads(text) if text else {}
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise ScenarioBroken(f"{function} answered something that is not a JSON object")
        return value

    # -- cleanup -------------------------------------------------------------------------

    def undo(self, label: str, action: Callable[[], None]) -> Callable[[], None]:
        """Run ``action`` at cleanup (before the deletes of earlier objects); returns a
        function that runs it now instead."""
        step = _Undo(label, action)
        self._steps.append(step)

        def now() -> None:
            step.done = True
            action()

        return now

    def cleanup(self) -> None:
        """Close handles, then undo and delete in reverse order; record what failed."""
        for handle in reversed(self._handles):
            try:
                handle.close()
            except HcnError as exc:
                self.cleanup_failures.append(f"closing {handle!r}: {exc}")
        self._handles.clear()
        seen: set[tuple[str, str]] = set()
        for step in reversed(self._steps):
            if step.done:
                continue
            step.done = True
            if isinstance(step, _Undo):
                try:
                    step.action()
                except (HcnError, ScenarioBroken) as exc:
                    self.cleanup_failures.append(f"{step.label}: {exc}")
                continue
            key = (step.kind.value, guid(step.object_id))
            if key not in seen:
                seen.add(key)
                self._remove(step.kind, step.object_id, step.created)
        self._steps.clear()

    def _remove(self, kind: ObjectKind, object_id: str, created: bool) -> None:
        """Delete an object at cleanup; after a failed create, only if HNS kept it anyway."""
        where = f"{kind.value} {object_id}"
        if not created:
            present = self._present(kind, object_id)
            if present is False:
                return
            failure = self._delete(kind, object_id)
            if failure is not None and present is None:
                self.cleanup_failures.append(
                    f"{where}: cannot tell whether its failed create left it behind "
                    f"(listing failed, then the delete failed: {failure})"
                )
            elif failure is not None:
                self.cleanup_failures.append(f"{where}: delete failed: {failure}")
                self.leftovers.append((kind.value, str(object_id)))
            return
        failure = self._delete(kind, object_id)
        if failure is None or self._present(kind, object_id) is False:
            return
        self.cleanup_failures.append(f"{where}: delete failed: {failure}")
        self.leftovers.append((kind.value, str(object_id)))

    def _delete(self, kind: ObjectKind, object_id: str) -> HcnError | None:
        try:
            self.library.delete(kind, guid(object_id), timeout=self.run.timeout)
        except HcnError as exc:
            return exc
        return None

    def _present(self, kind: ObjectKind, object_id: str) -> bool | None:
        """Whether an unfiltered enumerate lists the object (``None``: it failed)."""
        try:
            listed = self.library.enumerate(kind, DEFAULT_QUERY, timeout=self.run.timeout)
        except HcnError:
            return None
        return any(_same_guid(item, object_id) for item in listed)

    #: The message of the last failed create or modify.
    last_error: str = ""
    #: The exception of the last failed create (``None`` after one that succeeded).
    last_failure: HcnError | None = None


def _same_guid(left: object, right: object) -> bool:
    try:
        return guid(left) == guid(right)
    except ValueError:
        return False
