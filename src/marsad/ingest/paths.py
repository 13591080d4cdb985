"""Finding input files safely: folders, globs and links, and opening only regular files.

Walking accounts for every entry: each one is a file with its `stat` (links followed) or an entry
with a `problem` saying why it cannot be read (an unreadable folder, a broken or looping link, a
second way into a folder already walked). Nothing is opened here but regular files, and those only
after their `stat` says so, because opening a FIFO blocks and a device never ends.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from marsad.errors import QuarantineError

GLOB_CHARS = set("*?[")
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def why_not(err: OSError) -> str:
    return err.strerror or type(err).__name__


def not_regular(mode: int) -> str | None:
    """What a non-regular, non-folder file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")


@dataclass(slots=True)
class Entry:
    """A path met while walking: its `stat` (links followed), or why it cannot be read."""

    path: Path
    st: os.stat_result | None = None
    problem: str | None = None
    folder: bool = False


def stat_entry(path: Path) -> Entry:
    try:
        st = os.stat(path)  # follows links; a link loop is ELOOP here, not an endless walk
    except OSError as err:
        kind = "broken or looping symbolic link" if os.path.islink(path) else "cannot be read"
        return Entry(path, problem=f"{kind}: {why_not(err)}")
    return Entry(path, st, folder=stat.S_ISDIR(st.st_mode))


def walk(root: Path, sidecar: str | None = None, max_depth: int | None = None) -> Iterator[Entry]:
    """Every entry under the folder `root`, sorted, depth first, files before subfolders.

    Hidden entries are skipped; given the `sidecar` name, so are sidecars and READMEs. A folder is
    entered once, by its real identity (device, inode): a second way into it (a link to a folder
    already read, a link to an ancestor) is an entry with a problem, so it is counted, never
    followed in a loop. `max_depth` stops descending below that many levels (a glob without `**`).
    """
    root_entry = stat_entry(root)
    seen = {(root_entry.st.st_dev, root_entry.st.st_ino)} if root_entry.st else set()
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as it:
                names = sorted(e.name for e in it)
        except OSError as err:
            yield Entry(folder, problem=f"folder cannot be read: {why_not(err)}", folder=True)
            continue
        subfolders: list[Path] = []
        for name in names:
            if name.startswith(".") or (
                sidecar is not None and (name == sidecar or name.upper().startswith("README"))
            ):
                continue
            entry = stat_entry(folder / name)
            if not entry.folder:
                yield entry
                continue
            if max_depth is not None and depth >= max_depth:
                continue  # not descended into, so neither an input nor a loop
            assert entry.st is not None
            identity = (entry.st.st_dev, entry.st.st_ino)
            if identity in seen:
                real = os.path.realpath(entry.path)
                yield Entry(
                    entry.path,
                    entry.st,
                    f"link to folder {real}, which this walk already reads; skipped",
                    True,
                )
            else:
                seen.add(identity)
                subfolders.append(entry.path)
        stack.extend((sub, depth + 1) for sub in reversed(subfolders))


def _segment_regex(segment: str) -> str:
    """One glob path segment as a regex that never crosses "/" (fnmatch's `*` would)."""
    out: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        close = segment.find("]", i + 2) if char == "[" else -1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif close > 0:
            body = segment[i + 1 : close]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = close
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _glob(pattern: str) -> tuple[Path, re.Pattern[str], int | None]:
    """The folder to walk for `pattern`, the regex its relative paths must match, and the depth."""
    parts = Path(pattern).parts
    literal = next((i for i, part in enumerate(parts) if GLOB_CHARS & set(part)), len(parts))
    root = Path(*parts[:literal]) if literal else Path(".")
    rest = parts[literal:]
    regex = ""
    for i, part in enumerate(rest):
        last = i == len(rest) - 1
        if part == "**":
            regex += ".*" if last else "(?:[^/]*/)*"
        else:
            regex += _segment_regex(part) + ("" if last else "/")
    depth = None if "**" in rest else max(0, len(rest) - 1)
    return root, re.compile(regex + r"\Z", re.DOTALL), depth


def glob_entries(pattern: str) -> Iterator[Entry]:
    """Files matching `pattern` (`**` crosses folders), each real file once, sorted by path."""
    root, regex, depth = _glob(pattern)
    if not root.is_dir():
        return
    matched: list[Entry] = []
    seen: set[tuple[int, int]] = set()
    for entry in walk(root, max_depth=depth):
        if entry.problem and entry.folder:
            matched.append(entry)  # an unreadable folder may hold matches: it is counted
        elif regex.match(entry.path.relative_to(root).as_posix()):
            if entry.st is not None:
                identity = (entry.st.st_dev, entry.st.st_ino)
                if identity in seen:
                    continue  # the same file reached through a link: one match per real file
                seen.add(identity)
            matched.append(entry)
    yield from sorted(matched, key=lambda e: str(e.path))


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file, refusing anything else before opening it (a FIFO would block open)."""
    what = not_regular(os.stat(path).st_mode)
    if what is not None:
        raise QuarantineError(f"{what}, not a regular file: only regular files are read")
    # O_NONBLOCK: if the path was swapped for a FIFO since the stat, open still returns at once.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    what = not_regular(os.fstat(fd).st_mode)
    if what is not None:
        os.close(fd)
        raise QuarantineError(f"{what}, not a regular file: only regular files are read")
    return os.fdopen(fd, "rb")
