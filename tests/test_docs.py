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
