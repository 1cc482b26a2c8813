"""Bounds on what one SQL query of the catalog may cost, in memory and in time.

Datasette stops a query after ``sql_time_limit_ms`` with SQLite's progress handler, which
runs between steps of SQLite's virtual machine. One step can be one call of a built-in
function, and some calls cost far more than their step: ``printf('%.*c', 1000000000,
'x')`` built a gigabyte string in 12 s; ``instr``, ``replace`` and two-argument
``trim`` compare every position of one long string with another (quadratic);
``randomblob(900000000)`` allocates what it is asked. No progress handler can stop a
step, so ``guard(conn)`` bounds the steps themselves, on every catalog connection:

* SQLite limits (``CATALOG_LIMITS``): no string, blob or row longer than 32 MiB can be
  made or read (SQLite fails such a call at once with "string or blob too big"), no SQL
  statement longer than 1 MiB;
* the functions whose time is not bounded by the length of what they make are replaced
  by equivalents that are: ``instr`` and ``replace`` on text use Python's linear-time
  search, two-argument ``trim``/``ltrim``/``rtrim`` on text a character class, and
  ``printf``/``format`` refuse (NULL, as SQLite's own printf does for an oversized
  result) a width or precision above the length limit before formatting with SQLite's
  printf, and ``replace`` a result above it. Other argument types are handed to SQLite's own functions on a small private
  in-memory connection with the same limits.

What stays is linear in the length limit, so a single call costs at most tens of
milliseconds; and every query still runs under Datasette's time limit.
"""

from __future__ import annotations

import functools
import math
import re
import sqlite3
import threading

__all__ = ["CATALOG_LIMITS", "MAX_LENGTH", "guard"]

MAX_LENGTH = 32 * 1024 * 1024  # bytes of one string, blob or row; hostkb's largest values are kilobytes
CATALOG_LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: MAX_LENGTH,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 1024 * 1024,  # bytes of one SQL statement
}

_local = threading.local()


def _sqlite() -> sqlite3.Connection:
    """This thread's private in-memory connection with SQLite's own functions."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:")
        for category, value in CATALOG_LIMITS.items():
            conn.setlimit(category, value)
        _local.conn = conn
    return conn


def _builtin(name: str, *args):
    return _sqlite().execute(f"SELECT {name}({', '.join('?' * len(args))})", args).fetchone()[0]


# printf conversions: flags, width, precision, conversion character
_SPEC = re.compile(r"%[-+ #0!,]*(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])?")


def _oversized(fmt: str, args: tuple) -> bool:
    """True when a width or precision of ``fmt`` (literal or ``*`` taken from ``args``)
    exceeds the length limit."""
    i = 0
    for m in _SPEC.finditer(fmt):
        if m.group(3) == "%":
            continue
        for part in (m.group(1), m.group(2)):
            if part == "*":
                value = args[i] if i < len(args) else 0
                i += 1
                try:
                    n = abs(int(value))
                except (TypeError, ValueError, OverflowError):
                    n = 0
            else:
                n = int(part) if part else 0
            if n > MAX_LENGTH:
                return True
        i += 1
    return False


_SIMPLE = re.compile(r"%[gds%]")  # conversions formatted here (the catalog's own queries use only these)
_INT64 = 2**63


def _simple(fmt: str, args: tuple) -> str | None:
    """``fmt`` formatted as SQLite's printf would, when it has only ``%g`` (of a finite
    number), ``%d`` (of an integer), ``%s`` (of a text) and ``%%``; None otherwise."""
    parts = _SIMPLE.split(fmt)
    if "%" in "".join(parts):
        return None
    out = [parts[0]]
    i = 0
    for conversion, text in zip(_SIMPLE.findall(fmt), parts[1:]):
        if conversion == "%%":
            out.append("%")
        else:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
            if conversion == "%g" and type(value) in (int, float) and math.isfinite(value):
                out.append("%g" % value if value else "0")  # SQLite writes -0.0 as 0
            elif conversion == "%d" and type(value) is int and -_INT64 <= value < _INT64:
                out.append(str(value))
            elif conversion == "%s" and type(value) is str:
                out.append(value)
            else:
                return None
        out.append(text)
    return "".join(out)


def _printf(name: str):
    def printf(fmt=None, *args):
        if isinstance(fmt, str):
            quick = _simple(fmt, args)
            if quick is not None:
                return quick
            if _oversized(fmt, args):
                return None
        return _builtin(name, fmt, *args)
    return printf


def _instr(haystack, needle):
    if type(haystack) is type(needle) and isinstance(haystack, (str, bytes)):
        return haystack.find(needle) + 1
    return _builtin("instr", haystack, needle)


def _replace(text, old, new):
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return _builtin("replace", text, old, new)
    if not old:
        return text
    if len(new) > len(old) and len(text) + text.count(old) * (len(new) - len(old)) > MAX_LENGTH:
        return None  # too big: NULL, as SQLite's printf answers an oversized result
    return text.replace(old, new)


def _character_run(chars: str) -> re.Pattern:
    """A run of any of ``chars`` (a character class: constant time per character)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]*")


_run_of = functools.lru_cache(maxsize=256)(_character_run)  # the catalog's own few sets, compiled once


def _trim(name: str):
    def trim(text, chars):
        if not (isinstance(text, str) and isinstance(chars, str)):
            return _builtin(name, text, chars)
        if not chars or not text:
            return text
        run = _run_of(chars) if len(chars) <= 64 else _character_run(chars)
        start = run.match(text).end() if name in ("trim", "ltrim") else 0
        end = len(text) - run.match(text[::-1]).end() if name in ("trim", "rtrim") else len(text)
        return text[start:max(start, end)]
    return trim


def guard(conn: sqlite3.Connection) -> None:
    """Apply the limits and the bounded functions to ``conn`` (see the module docstring)."""
    for category, value in CATALOG_LIMITS.items():
        conn.setlimit(category, value)
    for name in ("printf", "format"):
        conn.create_function(name, -1, _printf(name), deterministic=True)
    conn.create_function("instr", 2, _instr, deterministic=True)
    conn.create_function("replace", 3, _replace, deterministic=True)
    for name in ("trim", "ltrim", "rtrim"):
        conn.create_function(name, 2, _trim(name), deterministic=True)
