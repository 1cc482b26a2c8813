"""The README stays true: every command is documented, every example names real
commands and options, and the library example runs."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from extractor.cli import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def example_commands() -> list[list[str]]:
    commands = []
    for block in code_blocks("bash"):
        for line in block.splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith("hostkb "):
                commands.append(shlex.split(line))
    return commands


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_a_readme_section(name):
    assert f"### `hostkb {name}`" in README, f"README.md has no section for `hostkb {name}`"


def test_the_readme_has_examples_for_every_command():
    documented = {argv[1] for argv in example_commands()}
    assert documented == set(cli.commands)


@pytest.mark.parametrize("argv", example_commands(), ids=lambda argv: " ".join(argv[:3]))
def test_readme_examples_use_real_commands_and_options(argv):
    assert argv[1] in cli.commands, f"README example uses unknown command {argv[1]!r}"
    command = cli.commands[argv[1]]
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for token in argv[2:]:
        if token.startswith("-"):
            assert token.split("=")[0] in known, f"`hostkb {argv[1]}` has no option {token}"


def test_quick_start_targets_exist():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, flags=re.M), target


def test_schema_files_named_in_the_readme_exist():
    for path in re.findall(r"\]\(((?:schema|docs)/[^)]+)\)", README):
        assert (REPO / path).is_file(), path


@pytest.mark.slow
def test_the_python_examples_run(tmp_path, monkeypatch):
    """Every ```python block of the README runs, in order, in a copy of the demo corpus."""
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    examples = code_blocks("python")
    assert len(examples) >= 2
    for example in examples:
        exec(compile(example, "README.md", "exec"), {})
    assert (tmp_path / "hostkb.db").is_file()


def test_every_spacy_component_is_documented():
    from spacy.language import Language

    import extractor.components  # noqa: F401  (registers the factories)

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    factories = [name for name in Language.factories if name.startswith("hostkb_")]
    assert factories, "no hostkb components registered"
    for name in factories:
        assert f"`{name}`" in readme, f"component {name} is not documented in README.md"


# ---------------------------------------------------------------- what a new user checks


def text_blocks() -> list[str]:
    return code_blocks("text")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """corpus/ built into hostkb.db, as the README's examples do: (path, summary line)."""
    from extractor.build import build

    path = tmp_path_factory.mktemp("readme") / "hostkb.db"
    return path, build([REPO / "corpus"], path, progress=False).format()


def test_readme_catalog_addresses_are_the_ones_serve_prints(built, monkeypatch):
    import uvicorn

    from extractor.serve import serve

    printed = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)  # print the address, serve nothing
    monkeypatch.setattr("extractor.serve._check_port", lambda host, port: None)  # port 8001 may be in use
    monkeypatch.chdir(built[0].parent)
    serve("hostkb.db", port=8001, echo=printed.append)
    assert printed == ["hostkb: serving hostkb.db read-only at http://127.0.0.1:8001/hostkb  (Ctrl+C to stop)"]
    shown = [line for block in text_blocks() for line in block.splitlines() if "serving" in line]
    assert shown == printed, "README.md shows another line than `hostkb serve` prints"
    address = "http://127.0.0.1:8001/hostkb"
    for found in re.findall(r"http://127\.0\.0\.1:\d+/?\S*", README):
        assert found.rstrip(".,)`") == address, f"README says {found}, the catalog is at {address}"


def test_readme_build_summary_is_what_building_the_corpus_prints(built):
    """The example summary line is what `hostkb build corpus/` prints today (all but the time)."""
    shown = [line for block in text_blocks() for line in block.splitlines() if line.startswith("hostkb: ")
             and " documents, " in line]
    assert len(shown) == 1, shown
    printed = built[1]

    def without_time(line: str) -> str:
        return re.sub(r"; [\d.]+ s$", "", line.strip())

    assert without_time(shown[0]) == without_time(printed), \
        f"README.md shows\n  {shown[0]}\nbut `hostkb build corpus/` prints\n  {printed}"


def test_the_interchange_format_is_described_in_the_repository():
    assert "(docs/records.md)" in README
    records = (REPO / "docs" / "records.md").read_text(encoding="utf-8")
    for section in ("## `paper`", "## `hosts`", "## `synthesis`", "## `performance`", "## `properties`"):
        assert section in records
    from extractor.vocab import vocabulary

    for metric in vocabulary().metrics:
        assert f"`{metric}`" in records, f"docs/records.md does not list metric {metric}"
    for method in vocabulary().methods:
        assert f"`{method}`" in records, f"docs/records.md does not list method {method}"
    # no reference to files a user of the repository does not have
    for doc in (README, (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8"), records):
        assert "../shared" not in doc and "shared/spec" not in doc


def test_every_notebook_is_listed_in_the_readme():
    notebooks = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    for name in notebooks:
        assert f"(notebooks/{name})" in README, f"README.md does not list notebooks/{name}"
