"""Putting a newly built folder in place of the old one, so that the path never goes missing.

:func:`swap_in` exchanges the two folders in one ``renameat2(RENAME_EXCHANGE)`` system
call (Linux 3.15+, on ext4, xfs, btrfs, tmpfs and most other local file systems): at every
instant the path names the old folder or the new one, whatever kills the process. Where
the call is missing it falls back to two renames (the old folder aside into
``.<name>.old-<random>/``, the new one in): a kill between them leaves the old folder
aside, and :func:`recover_swap`, run before the next build, puts it back. Built folders
are ``.<name>.tmp-<random>`` siblings; :func:`recover_swap` removes those a killed build
left.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

__all__ = ["swap_in", "recover_swap"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@cache
def _renameat2():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _exchange(a: Path, b: Path) -> bool:
    """Exchange the folders ``a`` and ``b`` atomically; False when the system cannot."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def swap_in(new: str | Path, out: str | Path) -> None:
    """Put the folder ``new`` (a sibling of ``out``) at ``out`` and remove the old ``out``
    (see the module doc for how ``out`` never goes missing). Raises ``OSError``."""
    new, out = Path(new), Path(out)
    if not os.path.lexists(out):
        os.replace(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # the old folder now
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, aside / out.name)
    os.replace(new, out)
    shutil.rmtree(aside)


def recover_swap(out: str | Path) -> list[str]:
    """Repair what a killed :func:`swap_in` or build left beside ``out``: a missing ``out``
    whose old folder was set aside is put back, then every ``.<name>.tmp-*`` and
    ``.<name>.old-*`` sibling is removed. Returns the names removed. Two builds into one
    ``out`` must not run at once (the build holds its records' lock)."""
    out = Path(out)
    if not out.parent.is_dir():
        return []
    tmp_prefix, old_prefix = f".{out.name}.tmp-", f".{out.name}.old-"
    names = sorted(n for n in os.listdir(out.parent) if n.startswith((tmp_prefix, old_prefix)))
    if not os.path.lexists(out):
        for name in names:
            kept = out.parent / name / out.name
            if name.startswith(old_prefix) and kept.is_dir():
                os.replace(kept, out)
                break
    for name in names:
        path = out.parent / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    return names
