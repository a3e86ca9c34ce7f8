"""Files and directories that another local user cannot hijack.

CNI plugins run as root (Administrator on Windows) and keep state next to files that other
users could reach: lock files, the simulator's state, traces, logs, a cached library. The
rules, in one place:

* A private directory is created for the current user only (mode 0700; on Windows an ACL that
  grants Administrators and SYSTEM alone) and is refused when it already exists but is a
  symlink, is owned by someone else, or is writable by group or others.
* A private file is opened without following a symlink (``O_NOFOLLOW``; on Windows a reparse
  point is refused before opening), created with mode 0600, and refused when it is not a
  regular file or belongs to someone else.
* A file to be *loaded* (a library) must belong to the current user or root and be writable by
  nobody else.

A leaf module (standard library only), used by hcnpy, its simulator, cniskel and the example
plugins. Failures raise :class:`UnsafePathError`, an ``OSError`` naming the path and why.
"""

from __future__ import annotations

import errno
import os
import stat
import sys

__all__ = [
    "UnsafePathError",
    "check_trusted_file",
    "open_private",
    "private_dir",
    "refuse_symlink",
]

_WINDOWS = sys.platform == "win32"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT
#: Well-known SIDs: BUILTIN\Administrators and NT AUTHORITY\SYSTEM.
WINDOWS_TRUSTED_SIDS = ("S-1-5-32-544", "S-1-5-18")


class UnsafePathError(PermissionError):
    """A path another user could control: a symlink, someone else's, or writable by others."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"refusing {path}: {reason}")
        self.path = path
        self.reason = reason


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def _is_link(info: os.stat_result) -> bool:
    attributes = getattr(info, "st_file_attributes", 0)
    return stat.S_ISLNK(info.st_mode) or bool(attributes & _REPARSE_POINT)


def refuse_symlink(path: str) -> None:
    """Raise :class:`UnsafePathError` when ``path`` exists and is a symlink (reparse point)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if _is_link(info):
        raise UnsafePathError(path, "it is a symbolic link")


def _check_owner_and_mode(path: str, info: os.stat_result, what: str, allow_root: bool) -> None:
    if _WINDOWS:
        return  # ownership and ACLs are checked by _windows_check (os.stat has no owner)
    owners = {_uid(), 0} if allow_root else {_uid()}
    if info.st_uid not in owners:
        raise UnsafePathError(path, f"the {what} belongs to uid {info.st_uid}, not to this user")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafePathError(
            path, f"the {what} is writable by group or others (mode {info.st_mode & 0o777:o})"
        )


def private_dir(path: str) -> str:
    """``path`` as a directory only the current user can write, created if missing."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=False)
        created = True
    except FileExistsError:
        created = False
    info = os.lstat(path)
    if _is_link(info):
        raise UnsafePathError(path, "it is a symbolic link")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePathError(path, "it is not a directory")
    if _WINDOWS:
        if created:
            _windows_restrict(path)
        _windows_check(path)
        return path
    if created and info.st_mode & 0o077:
        os.chmod(path, 0o700)  # makedirs' mode is filtered by the umask only downwards
        info = os.lstat(path)
    _check_owner_and_mode(path, info, "directory", allow_root=False)
    return path


def open_private(path: str, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that refuses symlinks and other users' files; new files get ``mode``.

    An existing file of the current user that others may read or write is tightened to
    ``mode``.
    """
    if _WINDOWS:
        refuse_symlink(path)
    try:
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC | _BINARY, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink
            raise UnsafePathError(path, "it is a symbolic link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePathError(path, "it is not a regular file")
        if not _WINDOWS:
            if info.st_uid != _uid():
                raise UnsafePathError(path, f"the file belongs to uid {info.st_uid}")
            if info.st_mode & 0o777 & ~mode:
                os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def check_trusted_file(path: str) -> None:
    """Raise :class:`UnsafePathError` unless ``path`` is a regular file of this user (or
    root) that nobody else can write: what a program may load and run."""
    info = os.lstat(path)
    if _is_link(info):
        raise UnsafePathError(path, "it is a symbolic link")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePathError(path, "it is not a regular file")
    if _WINDOWS:
        _windows_check(path)
        return
    _check_owner_and_mode(path, info, "file", allow_root=True)


# --- Windows: ACLs through the Win32 security API (ctypes; only imported there) ------------


def _windows_restrict(path: str) -> None:
    """Give ``path`` an ACL that grants full control to Administrators and SYSTEM only."""
    import subprocess

    grants = [f"*{sid}:(OI)(CI)F" for sid in WINDOWS_TRUSTED_SIDS]
    command = ["icacls", path, "/inheritance:r", "/grant:r", *grants]
    subprocess.run(command, check=True, capture_output=True)


def _windows_check(path: str) -> None:
    """Refuse ``path`` unless its owner is Administrators or SYSTEM and no other principal
    may write it."""
    owner, writers = _windows_security(path)
    if owner not in WINDOWS_TRUSTED_SIDS:
        raise UnsafePathError(path, f"it is owned by {owner}, not by Administrators or SYSTEM")
    others = sorted(set(writers) - set(WINDOWS_TRUSTED_SIDS))
    if others:
        raise UnsafePathError(path, f"it is writable by {', '.join(others)}")


def _windows_security(path: str) -> tuple[str, list[str]]:
    """``(owner SID, SIDs granted write access)`` of ``path``, read with advapi32."""
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    se_file_object = 1
    owner_info, dacl_info = 0x1, 0x4
    owner = ctypes.c_void_p()
    dacl = ctypes.c_void_p()
    descriptor = ctypes.c_void_p()
    status = advapi32.GetNamedSecurityInfoW(
        wintypes.LPCWSTR(path),
        se_file_object,
        owner_info | dacl_info,
        ctypes.byref(owner),
        None,
        ctypes.byref(dacl),
        None,
        ctypes.byref(descriptor),
    )
    if status != 0:
        raise OSError(status, "GetNamedSecurityInfoW failed", path)
    try:
        writers = _dacl_writers(advapi32, dacl)
        return _sid_text(advapi32, kernel32, owner), writers
    finally:
        kernel32.LocalFree(descriptor)


def _sid_text(advapi32: object, kernel32: object, sid: object) -> str:
    import ctypes

    text = ctypes.c_wchar_p()
    if not advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)):  # type: ignore[attr-defined]
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined]
    try:
        return str(text.value)
    finally:
        kernel32.LocalFree(text)  # type: ignore[attr-defined]


def _dacl_writers(advapi32: object, dacl: object) -> list[str]:
    """SIDs an access-allowed ACE grants any write, delete or ownership right."""
    import ctypes
    from ctypes import wintypes

    class AclSizeInformation(ctypes.Structure):
        _fields_ = [
            ("AceCount", wintypes.DWORD),
            ("AclBytesInUse", wintypes.DWORD),
            ("AclBytesFree", wintypes.DWORD),
        ]

    class AceHeader(ctypes.Structure):
        _fields_ = [
            ("AceType", ctypes.c_ubyte),
            ("AceFlags", ctypes.c_ubyte),
            ("AceSize", wintypes.WORD),
        ]

    class AccessAllowedAce(ctypes.Structure):
        _fields_ = [("Header", AceHeader), ("Mask", wintypes.DWORD), ("SidStart", wintypes.DWORD)]

    if not dacl.value:  # type: ignore[attr-defined]
        return ["Everyone (no DACL)"]
    size = AclSizeInformation()
    acl_size_information = 2
    advapi32.GetAclInformation(  # type: ignore[attr-defined]
        dacl, ctypes.byref(size), ctypes.sizeof(size), acl_size_information
    )
    # GENERIC_ALL, GENERIC_WRITE, DELETE, WRITE_DAC, WRITE_OWNER, FILE_WRITE_DATA, APPEND
    write_rights = 0x10000000 | 0x40000000 | 0x00010000 | 0x00040000 | 0x00080000 | 0x2 | 0x4
    writers = []
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined]
    for index in range(size.AceCount):
        ace = ctypes.c_void_p()
        advapi32.GetAce(dacl, index, ctypes.byref(ace))  # type: ignore[attr-defined]
        entry = ctypes.cast(ace, ctypes.POINTER(AccessAllowedAce)).contents
        if entry.Header.AceType != 0 or not entry.Mask & write_rights:  # 0: ACCESS_ALLOWED
            continue
        sid = ctypes.c_void_p(ace.value + AccessAllowedAce.SidStart.offset)  # type: ignore[operator]
        writers.append(_sid_text(advapi32, kernel32, sid))
    return writers
