"""Picks the world of a Python function from the handlers its handler.py defines, before
componentize-py runs (it must be told the world up front). Prints `<world> <interface>...` and, on
a second line, the interfaces of wasmlet:function the world imports:

    $ python3 toolchains/python/pick_world.py greeter/handler.py
    generated-function http-handler
    host publisher

"generated-function" means a world sdk/wit/function.wit does not name: the build appends it with
those imports. A module that defines a top-level class `IncomingHandler` is a standard wasi:http guest
(componentize-py's http world): the answer is then `wasi-http wasi:http/incoming-handler` (and an
empty second line), and build.sh builds it against wasi:http/proxy instead of wasmlet's worlds.

The source is parsed, not run: a handler counts when handler.py binds its name at the top level
(def, assignment, import), also inside top-level if/try/with blocks. The SDK checks the module it
really imports against the same table (sdk/python/wasmlet/handlers.py) and fails the build on a
mismatch, e.g. for a handler that arrives through `from jobs import *`.

`outbound-http` is imported only when the function uses the SDK's `wasmlet.http`
(`from wasmlet import http`, `import wasmlet.http`, `wasmlet.http.…`, `from wasmlet import *`) in
handler.py or in a module of its folder that it imports, directly or not: componentize-py imports
every interface of its world, and the host refuses a component importing outbound-http unless its
manifest has `allowed_outbound_hosts` (the named worlds all import it, so a function that does not
send gets the generated world). A use this scan misses fails at run time with HttpError("denied")
saying the world lacks the import.

Needs Python >= 3.9; source newer than the Python running this falls back to a line scan.
"""
from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from typing import Iterable, List, Set


def _load_handler_table():
    # The table's file alone (it needs only the standard library), not the whole SDK package,
    # and without writing __pycache__ into sdk/.
    path = Path(__file__).resolve().parents[2] / "sdk" / "python" / "wasmlet" / "handlers.py"
    spec = importlib.util.spec_from_file_location("wasmlet_handlers", path)
    module = importlib.util.module_from_spec(spec)
    sys.dont_write_bytecode = True
    sys.modules[spec.name] = module  # dataclasses looks its module up while building the class
    spec.loader.exec_module(module)
    return module


_table = _load_handler_table()
HANDLER_FUNCTIONS, HANDLER_INTERFACES, interfaces_for = _table.HANDLER_FUNCTIONS, _table.HANDLER_INTERFACES, _table.interfaces_for

GENERATED_WORLD = "generated-function"

#: What every wasmlet world imports; OUTBOUND_HTTP only when the code sends (see above).
BASE_IMPORTS = ("host", "publisher")
OUTBOUND_HTTP = "outbound-http"
#: The SDK module that sends outbound requests over OUTBOUND_HTTP.
SDK_PACKAGE, HTTP_MODULE = "wasmlet", "wasmlet.http"

#: The class componentize-py calls for `wasi:http/incoming-handler` (the interface in CamelCase).
WASI_HTTP_CLASS = "IncomingHandler"
#: What pick_world answers for a wasi:http guest: build.sh's cue to use the wasi:http/proxy world.
WASI_HTTP = ["wasi-http", "wasi:http/incoming-handler"]


class PickError(Exception):
    """A module the build cannot give a world to; the message says why."""


def pick_world(source: str, outbound_http: bool = False) -> List[str]:
    """[world, interface, ...]; empty when the source defines no handler. The world is always the
    generated one, whose imports come from world_imports(outbound_http)."""
    names = top_level_names(source)
    interfaces = tuple(h.interface for h in interfaces_for(names))
    if WASI_HTTP_CLASS in names:
        if interfaces:
            defined = sorted(names.intersection(HANDLER_FUNCTIONS))
            raise PickError(
                f"defines both class {WASI_HTTP_CLASS} (a wasi:http guest) and wasmlet handlers "
                f"({', '.join(defined)}): a component is one or the other; move one of them to its own function"
            )
        return list(WASI_HTTP)
    if not interfaces:
        return []
    # The named worlds import every gated interface (outbound-http, objects): always generate one
    # with exactly what the function uses.
    return [GENERATED_WORLD, *interfaces]


def world_imports(outbound_http: bool) -> List[str]:
    """The interfaces of wasmlet:function the world imports."""
    return [*BASE_IMPORTS, *([OUTBOUND_HTTP] if outbound_http else [])]


def uses_outbound_http(handler: Path) -> bool:
    """Whether handler.py, or a module of its folder it imports (transitively, at any depth in the
    code: an import inside a function counts), uses the SDK's wasmlet.http."""
    root = handler.resolve().parent
    pending, seen = [handler.resolve()], set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        source = path.read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            # Syntax newer than this Python: a rougher scan of the text, imports not followed.
            if _HTTP_USE_TEXT.search(source):
                return True
            continue
        if _uses_http(tree):
            return True
        pending.extend(_local_modules(tree, path, root))
    return False


def _uses_http(tree: ast.AST) -> bool:
    sdk_names: Set[str] = set()  # names bound to the wasmlet package itself
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_http_module(alias.name):
                    return True
                if alias.name == SDK_PACKAGE:
                    sdk_names.add(alias.asname or SDK_PACKAGE)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _is_http_module(node.module):
                return True
            # `*` included: wasmlet's __all__ lists http.
            if node.module == SDK_PACKAGE and any(alias.name in ("http", "*") for alias in node.names):
                return True
        elif isinstance(node, ast.Constant) and node.value == HTTP_MODULE:
            return True  # importlib.import_module("wasmlet.http")
    return any(
        isinstance(node, ast.Attribute) and node.attr == "http" and isinstance(node.value, ast.Name) and node.value.id in sdk_names
        for node in ast.walk(tree)
    )


def _is_http_module(name: str) -> bool:
    return name == HTTP_MODULE or name.startswith(HTTP_MODULE + ".")


_HTTP_USE_TEXT = re.compile(r"\bwasmlet\.http\b|^\s*from\s+wasmlet\s+import\s+(?:\([^)]*|[^#\n]*)(?:\bhttp\b|\*)", re.M)


def _local_modules(tree: ast.AST, path: Path, root: Path) -> List[Path]:
    """The files of `root` that the imports in `tree` (the module at `path`) may load: for
    `import a.b` a.py, a/__init__.py, a/b.py, a/b/__init__.py; for `from a import c` a/c.py too
    (c may be a submodule). Anything else (the SDK, the standard library) is not in `root`."""
    found: List[Path] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.extend(_module_files(root, alias.name.split(".")))
        elif isinstance(node, ast.ImportFrom):
            base = root
            if node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
            parts = node.module.split(".") if node.module else []
            found.extend(_module_files(base, parts))
            for alias in node.names:
                if alias.name != "*":
                    found.extend(_module_files(base, [*parts, alias.name]))
    return [f.resolve() for f in found if f.resolve().is_relative_to(root)]


def _module_files(base: Path, parts: List[str]) -> List[Path]:
    files = []
    for depth in range(1, len(parts) + 1):
        package = base.joinpath(*parts[:depth])
        for candidate in (package.with_name(package.name + ".py"), package / "__init__.py"):
            if candidate.is_file():
                files.append(candidate)
    return files


def top_level_names(source: str) -> Set[str]:
    """The names the module binds at its top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # Syntax newer than this Python (the component runs CPython 3.14): a rougher scan. A real
        # syntax error fails later, inside componentize-py, with a proper message.
        return _scanned_names(source)
    names: Set[str] = set()
    _bind(tree.body, names)
    return names


def _bind(statements: Iterable[ast.stmt], names: Set[str]) -> None:
    for node in statements:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody"):
                _bind(getattr(node, block, []), names)
            for handler in getattr(node, "handlers", []):
                _bind(handler.body, names)


_DEFINITION = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=]*)?=(?!=)")
_IMPORT = re.compile(r"^\s*(?:from\s+\S+\s+)?import\s+\(?([^)#]*)")


def _scanned_names(source: str) -> Set[str]:
    names: Set[str] = set()
    for line in source.splitlines():
        definition = _DEFINITION.match(line)
        if definition:
            names.add(definition.group(1) or definition.group(2))
        imported = _IMPORT.match(line)
        if imported:
            for part in imported.group(1).split(","):
                words = part.split()
                if words:
                    names.add(words[-1].split(".")[0])
    # Only handler names matter; a handler name in a comment or string is the risk of this scan.
    return names & {*HANDLER_FUNCTIONS, WASI_HTTP_CLASS}


def main(argv: List[str]) -> int:
    if len(argv) != 2:
        print("usage: pick_world.py <handler.py>", file=sys.stderr)
        return 2
    handler = Path(argv[1])
    outbound_http = uses_outbound_http(handler)
    try:
        picked = pick_world(handler.read_text(encoding="utf-8"), outbound_http)
    except PickError as e:
        print(f"python build: {argv[1]} {e}", file=sys.stderr)
        return 1
    if not picked:
        print(
            f"python build: {argv[1]} defines no handler: define at least one of "
            + ", ".join(f"`{f}`" for f in HANDLER_FUNCTIONS)
            + f" at its top level (see sdk/python/README.md), or a class `{WASI_HTTP_CLASS}` for a standard wasi:http component",
            file=sys.stderr,
        )
        return 1
    print(" ".join(picked))
    # A wasi:http guest imports what wasi:http/proxy does, not wasmlet's interfaces.
    print("" if picked == WASI_HTTP else " ".join(world_imports(outbound_http)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
