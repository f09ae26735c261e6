"""The layering rules of issue 10, checked on the source (ast), so a change that breaks them fails here.

1. No SQL outside ``summitwatch/store/``: no string literal elsewhere starts with SQL.
2. The store stays below: ``store/`` imports none of timeline, curation, run, cli, api, web.
3. Stages stay below the interfaces: nothing but the interfaces imports cli, api or web.
4. The interfaces (``cli/``, ``api.py``, ``web/``) read through ``store.query`` and import only the
   modules allowed below.
5. The project's own imports sit at module top: none inside a function, except the one deferred
   import of a module that loads a heavy or optional dependency (``DEFERRED_IMPORTS``).

Imports are collected wherever they sit (module top, functions, ``if TYPE_CHECKING``), relative
ones resolved, and ``from package import module`` counted as importing the module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "summitwatch"

# --------------------------------------------------------------------------- pending merges
# Paths that break a rule today ONLY because another helper's branch, which moves that code, is not
# merged yet. The integrator empties these after merging; nothing else may be listed here.
PENDING_MOVES: dict[str, str] = {}
PENDING_IMPORTS: dict[tuple[str, str], str] = {}
#: (path, module) of an import inside a function that another helper's area still holds (rule 5).
PENDING_FUNCTION_IMPORTS: dict[tuple[str, str], str] = {}

#: (path, module) of the deferred imports rule 5 allows, by design: each loads a heavy or optional
#: dependency only for the command that needs it, in one function with a clear error.
DEFERRED_IMPORTS = frozenset(
    {
        ("summitwatch/cli/scale.py", "summitwatch.run.parquet"),  # pyarrow (~0.4 s at every start otherwise)
        ("summitwatch/cli/scale.py", "summitwatch.run.dask"),  # distributed (optional: the scale extra)
    }
)

# --------------------------------------------------------------------------- the rules' vocabulary
SQL_START = re.compile(
    r"^\s*(?:SELECT\b|INSERT\s+(?:OR\s+\w+\s+)?INTO\b|UPDATE\s+\S+\s+SET\b|DELETE\s+FROM\b"
    r"|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIRTUAL|VIEW|TRIGGER)\b|PRAGMA\b|REPLACE\s+INTO\b"
    r"|WITH\s+\w+\s+AS\s*\()",
    re.IGNORECASE,
)
INTERFACES = ("summitwatch.cli", "summitwatch.api", "summitwatch.web", "summitwatch.__main__")  # __main__: the CLI entry
ABOVE_STORE = ("summitwatch.timeline", "summitwatch.curation", "summitwatch.run", *INTERFACES)
#: What an interface may import of the project (besides its own and the other interfaces' modules).
ALLOWED_FOR_INTERFACES = (
    "summitwatch.store.query",  # the one read layer
    "summitwatch.store.export",  # the export writers
    "summitwatch.store.db",  # to open a store
    "summitwatch.run",  # the pipeline and its steps
    "summitwatch.curation.actions",  # the one path for curation writes
    "summitwatch.knowledge",  # names, topics, offices
    "summitwatch.model",  # the records the queries return
    "summitwatch.eval",  # the scorer behind `eval articles`
    "summitwatch.timeline.evaluate",  # the scorer behind `eval timeline`
    "summitwatch.engagements.quote_score",  # the scorer behind `eval quotes`
)


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _sources() -> list[Path]:
    return sorted(PKG.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports_of(path: Path) -> Iterator[str]:
    """Every project module ``path`` imports (absolute dotted names)."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    yield from _resolve(ast.parse(path.read_text(encoding="utf-8")), package)


def function_imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every project import in ``path`` that sits inside a function."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    yield from function_imports_in(ast.parse(path.read_text(encoding="utf-8")), package)


def function_imports_in(tree: ast.AST, package: list[str]) -> Iterator[tuple[int, str]]:
    """(line, module) of every project import inside a function (at any depth) of ``tree``."""
    seen: set[int] = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if id(node) in seen or not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            seen.add(id(node))
            for module in _resolve(ast.Module(body=[node], type_ignores=[]), package):
                yield node.lineno, module


def _resolve(tree: ast.AST, package: list[str]) -> Iterator[str]:
    """The project modules the import statements of ``tree`` name (see :func:`imports_of`)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "summitwatch":
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != "summitwatch":
                continue
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                yield sub if _is_module(sub) else module


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def sql_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of the string literals (f-strings by their first literal part) that start with SQL."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        text = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            text = str(node.values[0].value)
        if text is not None and SQL_START.match(text):
            yield node.lineno, text.strip()[:60]


# --------------------------------------------------------------------------- the rules


def test_no_sql_outside_the_store() -> None:
    found = [
        f"{_rel(p)}:{line}: {text}"
        for p in _sources()
        if not _rel(p).startswith("summitwatch/store/") and _rel(p) not in PENDING_MOVES
        for line, text in sql_literals(p)
    ]
    assert not found, "SQL outside summitwatch/store/:\n" + "\n".join(found)


def test_pending_moves_still_pending() -> None:
    """An allowlisted path that no longer breaks its rule must leave the allowlist."""
    done = [p for p in PENDING_MOVES if not (ROOT / p).is_file() or not list(sql_literals(ROOT / p))]
    assert not done, f"no longer pending, remove from PENDING_MOVES: {done}"
    done_imports = [
        k for k in PENDING_IMPORTS if not (ROOT / k[0]).is_file() or k[1] not in set(imports_of(ROOT / k[0]))
    ]
    assert not done_imports, f"no longer pending, remove from PENDING_IMPORTS: {done_imports}"
    done_deferred = [
        k
        for k in PENDING_FUNCTION_IMPORTS
        if not (ROOT / k[0]).is_file() or k[1] not in {m for _, m in function_imports(ROOT / k[0])}
    ]
    assert not done_deferred, f"no longer pending, remove from PENDING_FUNCTION_IMPORTS: {done_deferred}"


def test_store_imports_nothing_above_it() -> None:
    found = [
        f"{_rel(p)} imports {m}"
        for p in _sources()
        if _rel(p).startswith("summitwatch/store/")
        for m in imports_of(p)
        if _under(m, ABOVE_STORE)
    ]
    assert not found, "the store reaches up:\n" + "\n".join(found)


def test_nothing_below_the_interfaces_imports_them() -> None:
    found = [
        f"{_rel(p)} imports {m}"
        for p in _sources()
        if not _under(_module_name(p), INTERFACES)
        for m in imports_of(p)
        if _under(m, INTERFACES)
    ]
    assert not found, "a stage imports an interface:\n" + "\n".join(found)


def test_interfaces_import_only_the_allowed_modules() -> None:
    assert (PKG / "store" / "query" / "__init__.py").is_file()
    interface_files = [p for p in _sources() if _under(_module_name(p), INTERFACES)]
    assert any(_rel(p).startswith("summitwatch/cli/") for p in interface_files)
    found = [
        f"{_rel(p)} imports {m}"
        for p in interface_files
        for m in imports_of(p)
        if m != "summitwatch"  # the package itself (its __version__)
        and not _under(m, INTERFACES + ALLOWED_FOR_INTERFACES)
        and (_rel(p), m) not in PENDING_IMPORTS
    ]
    assert not found, "an interface bypasses the read layer:\n" + "\n".join(found)


def test_project_imports_sit_at_module_top() -> None:
    found = [
        f"{_rel(p)}:{line} imports {m} inside a function"
        for p in _sources()
        for line, m in function_imports(p)
        if (_rel(p), m) not in DEFERRED_IMPORTS and (_rel(p), m) not in PENDING_FUNCTION_IMPORTS
    ]
    assert not found, "imports hidden in functions (move them to the module top):\n" + "\n".join(found)


def test_deferred_imports_are_still_deferred() -> None:
    """A listed deferred import that moved (or went) must leave ``DEFERRED_IMPORTS``."""
    gone = [k for k in DEFERRED_IMPORTS if k[1] not in {m for _, m in function_imports(ROOT / k[0])}]
    assert not gone, f"remove from DEFERRED_IMPORTS: {gone}"


# --------------------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    ("text", "sql"),
    [
        ("SELECT id FROM articles", True),
        ("  \n select 1", True),
        ("INSERT OR REPLACE INTO t VALUES (1)", True),
        ("UPDATE timeline SET a = 1", True),
        ("DELETE FROM quarantine", True),
        ("CREATE VIRTUAL TABLE x USING fts5(a)", True),
        ("PRAGMA journal_mode=WAL", True),
        ("REPLACE INTO t VALUES (1)", True),
        ("WITH recent AS (SELECT 1) SELECT * FROM recent", True),
        ("update the store when asked", False),
        ("delete it from the list", False),
        ("created table of contents", False),
    ],
)
def test_sql_detector(text: str, sql: bool, tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text(f"X = {text!r}\n", encoding="utf-8")
    assert bool(list(sql_literals(src))) is sql


def test_import_resolution() -> None:
    """Relative imports and ``from package import module`` resolve to the module imported."""
    probe = PKG / "store" / "query" / "articles.py"
    mods = set(imports_of(probe))
    assert "summitwatch.store.codec" in mods and "summitwatch.store.query.filters" in mods
    cli = set(imports_of(PKG / "cli" / "curate.py"))
    assert "summitwatch.curation.actions" in cli  # `from summitwatch.curation import actions`


def test_function_import_detector() -> None:
    """Imports in functions (nested too) are found with their module; module-level ones are not."""
    text = (
        "from summitwatch.model import Article\n"
        "def f():\n"
        "    def g():\n"
        "        from summitwatch.store import db\n"
        "    import json\n"
        "    from . import filters\n"
    )
    found = sorted(m for _, m in function_imports_in(ast.parse(text), ["summitwatch", "store", "query"]))
    assert found == ["summitwatch.store.db", "summitwatch.store.query.filters"]
