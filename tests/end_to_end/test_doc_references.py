"""Every ``§`` reference in the repository resolves to a numbered heading of a file in docs/.

The rule (docs/README.md, "Citing the docs"), applied to the .py, .md, .toml, .json and .cfg
files and the Makefiles of the repository:

* The full form is ``docs/<file>.md §N`` or ``docs/<file>.md §N.M`` (the path may sit in
  backticks).  ``N`` / ``N.M`` must be the number of a heading of that file (``## 9. …``,
  ``### 9.2 …``; headings inside fenced code blocks do not count).
* A bare ``§N`` means the docs file named last before it (``docs/portals.md §1.4, §4.3``):
  in a file of docs/, the one named last before it on the same line, else that file itself;
  anywhere else, the one named last before it in the same file.  A bare ``§N`` outside docs/
  with no docs file named before it fails.
* Every ``docs/<file>.md`` named must exist.  A file written on another branch that is not
  merged yet may be listed in ``WRITTEN_ELSEWHERE``; it is accepted while it is absent.
* The project's notes are not part of the repository: naming one without ``docs/`` in front
  (the short names the code used before, with or without ``.md``) fails, and so does any path
  into the shared notes directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Written on another branch and not merged into this one yet; drop an entry once it has landed.
WRITTEN_ELSEWHERE: set[str] = set()

SUFFIXES = {".py", ".md", ".toml", ".json", ".cfg"}
SKIP_DIRS = {"node_modules", "data", "build", "dist", "__pycache__"}

_NUM = r"\d+(?:\.\d+)*"
SECTION = re.compile(r"§\s?(" + _NUM + r")")
# A docs path written just before a §: that § names it explicitly.
EXPLICIT = re.compile(r"[`'\"(]?(?<![\w/.-])docs/([\w.-]+\.md)[`'\"]?\s*$")
DOCS_MENTION = re.compile(r"(?<![\w/.-])docs/([\w-]+(?:\.[\w-]+)*\.md)")
HEADING = re.compile(r"^#{1,6}\s+(" + _NUM + r")\.?\s")
# The notes' names as the code cited them before they were brought into docs/.
_NOTE_NAMES = [
    "portals.md",
    "report" + "-templates",
    "stack" + "-facts",
    "field" + "-survey",
    "report" + "-schema",
    "style" + "-anchors",
]
OLD_NOTE = re.compile(
    r"(?<![\w/.-])(" + "|".join(re.escape(n) for n in _NOTE_NAMES) + r")(?:\.md)?(?![\w-])"
)
SHARED = re.compile(r"(?:\.\./)+shared\b|/work/shared\b|\bshared/notes\b")


def repo_root() -> Path:
    here = Path(__file__).resolve()
    return next(p for p in here.parents if (p / "pyproject.toml").is_file())


def headings(doc: Path) -> set[str]:
    """Section numbers of a markdown file's headings, outside fenced code."""
    numbers, fenced = set(), False
    for line in doc.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (m := HEADING.match(line)):
            numbers.add(m.group(1))
    return numbers


def source_files(root: Path) -> list[Path]:
    found = []
    for top, dirs, files in os.walk(root):
        # Hidden folders (.git, .venv, caches, .nianbao) and build output are not the project's
        # text.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        found += [
            Path(top, f) for f in sorted(files) if Path(f).suffix in SUFFIXES or f == "Makefile"
        ]
    return found


def unresolved(root: Path, skip: frozenset[Path] = frozenset()) -> list[str]:
    """One line per reference under ``root`` that does not resolve: ``path:line: why``."""
    docs_dir = root / "docs"
    cache: dict[str, set[str] | None] = {}

    def numbers_of(name: str) -> set[str] | None:
        if name not in cache:
            doc = docs_dir / name
            cache[name] = headings(doc) if doc.is_file() else None
        return cache[name]

    problems = []
    for path in source_files(root):
        if path in skip:
            continue
        rel = path.relative_to(root).as_posix()
        in_docs = path.parent == docs_dir and path.suffix == ".md"
        current = path.name if in_docs else None  # the docs file a bare § refers to
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{rel}:{lineno}"
            if in_docs:
                current = path.name
            if SHARED.search(line):
                problems.append(
                    f"{where}: points outside the repository (the shared notes); "
                    "cite the docs/ file that holds the fact"
                )
            for m in OLD_NOTE.finditer(line):
                problems.append(
                    f"{where}: {m.group(0)!r} names a note outside the repository; "
                    "write docs/<file>.md"
                )
            events = sorted(
                [(m.start(), "doc", m) for m in DOCS_MENTION.finditer(line)]
                + [(m.start(), "sec", m) for m in SECTION.finditer(line)],
                key=lambda e: e[0],
            )
            for start, kind, m in events:
                if kind == "doc":
                    name = m.group(1)
                    if numbers_of(name) is None and name not in WRITTEN_ELSEWHERE:
                        problems.append(f"{where}: docs/{name} does not exist")
                    current = name
                    continue
                explicit = EXPLICIT.search(line[:start])
                target = explicit.group(1) if explicit else current
                number = m.group(1)
                if target is None:
                    problems.append(
                        f"{where}: §{number} names no docs file; write docs/<file>.md §{number}"
                    )
                    continue
                known = numbers_of(target)
                if known is None:
                    if target not in WRITTEN_ELSEWHERE:
                        problems.append(f"{where}: §{number}: docs/{target} does not exist")
                    else:
                        problems.append(
                            f"{where}: §{number}: docs/{target} is not on this "
                            "branch, so its sections cannot be checked"
                        )
                elif number not in known:
                    problems.append(f"{where}: docs/{target} has no heading §{number}")
    return problems


def test_every_reference_in_the_repository_resolves():
    root = repo_root()
    problems = unresolved(root, skip=frozenset({Path(__file__).resolve()}))
    assert not problems, "\n".join(problems)


def test_the_docs_the_code_cites_exist_with_their_sections():
    # The section numbers the code was written against: renumbering a doc breaks references.
    docs = repo_root() / "docs"
    assert {
        "0.1",
        "0.5",
        "1.2",
        "1.3",
        "1.4",
        "4.2",
        "4.3",
        "9.1",
        "9.2",
        "10.3",
        "10.4",
        "11",
        "12",
    } <= headings(docs / "portals.md")
    assert {"1", "2", "3", "4", "5", "6.1", "6.2", "6.3"} <= headings(docs / "report-templates.md")
    assert {"0", "1", "4", "5", "6", "7"} <= headings(docs / "stack-facts.md")
    assert "2" in headings(docs / "peers.md")


# ---- the rule itself, on small trees ---------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text(
        "# Guide\n\n## 1. One\n\n### 1.2 Sub\n\nSee §3 and docs/other.md §1.\n\n"
        "```\n## 3. not a heading, inside a fence\n```\n\n## 3. Three\n",
        encoding="utf-8",
    )
    (docs / "other.md").write_text("## 1. Only\n", encoding="utf-8")

    def write(name: str, text: str) -> list[str]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return unresolved(tmp_path)

    return write


def test_full_and_bare_forms_resolve(tree):
    assert (
        tree(
            "pkg/mod.py",
            '"""Layouts (docs/guide.md §1.2, §3; `docs/other.md` §1)."""\n# the §1 table again\n',
        )
        == []
    )


def test_a_missing_section_fails(tree):
    [problem] = tree("pkg/mod.py", "# docs/guide.md §2\n")
    assert problem.startswith("pkg/mod.py:1:") and "no heading §2" in problem


def test_a_heading_inside_a_code_fence_does_not_count(tmp_path: Path):
    doc = tmp_path / "d.md"
    doc.write_text("```\n## 4. fenced\n```\n## 5. real\n", encoding="utf-8")
    assert headings(doc) == {"5"}


def test_a_bare_section_with_no_docs_file_before_it_fails(tree):
    [problem] = tree("Makefile", "# see §1\n")
    assert "names no docs file" in problem


@pytest.mark.parametrize(
    "text",
    [
        "# portals.md §1\n",
        "# (stack-facts §7)\n",
        "# report-templates.md §4\n",
        "# See ../shared/notes/report-schema.md\n",
    ],
)
def test_old_style_references_fail(tree, text):
    assert tree("pkg/mod.py", text)


def test_a_missing_docs_file_fails(tree):
    assert tree("README.md", "See docs/nowhere.md.\n")


def test_bare_sections_in_a_docs_file_mean_that_file(tree):
    assert tree("docs/more.md", "## 2. Two\n\nAs in §2.\n") == []
    assert tree("docs/more.md", "## 2. Two\n\ndocs/guide.md §1.2–§3.\n\nAs in §2.\n") == []
    assert tree("docs/more.md", "## 2. Two\n\nAs in §1.\n")
