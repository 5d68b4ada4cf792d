"""docs/CLI.md against the command tree: every command and option that exists is in the
reference, and the reference names no command or option that does not exist. And nothing a
user gets (a file of the repository, a ``--help`` text) points at the development folder beside
the repository (its "shared" docs and data), which a user who cloned the project does not have."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from stridewise.cli import cli

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "docs" / "CLI.md"

#: A path into the development folder beside the repository.
BESIDE = r"\.\./" + "shared|" + "shared/(docs|data)"
#: Files that may name the folder beside the repository: the tests' real-file fixture only.
REAL_FILE_FIXTURE = {"tests/realdata.py", "tests/conftest.py"}


def command_tree(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """(path, command) of the group and every command under it."""
    yield prefix, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from command_tree(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def options_of(command: click.Command) -> set[str]:
    """The long option names of a command (and -q, the only short one besides -h)."""
    names = set()
    for param in command.params:
        if isinstance(param, click.Option):
            names |= {opt for opt in param.opts if opt.startswith("--") or opt == "-q"}
    return names - {"--help"}


def documented() -> dict[tuple[str, ...], set[str]]:
    """Command path -> options, from the ``stridewise …`` lines of the reference's code blocks."""
    found: dict[tuple[str, ...], set[str]] = {}
    in_block = False
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if not in_block or not line.startswith("stridewise "):
            continue
        words = line.split("#")[0].split()[1:]
        path: tuple[str, ...] = ()
        group: click.Command = cli
        for word in words:
            commands = getattr(group, "commands", {})
            if word not in commands:
                if re.fullmatch(r"[a-z][a-z_-]*", word) and not path and word != "COMMAND":
                    path = (word,)  # a command the tree lacks: reported below
                break
            path = (*path, word)
            group = commands[word]
        found.setdefault(path, set()).update(re.findall(r"(--[a-z][a-z-]*|-q\b)", line))
    return found


def test_the_reference_covers_every_command_and_option():
    reference = documented()
    for path, command in command_tree():
        if isinstance(command, click.Group) and path and path not in reference:
            assert any(doc[: len(path)] == path for doc in reference), f"{path} is not in CLI.md"
            assert not options_of(command), f"the options of {path} are not in CLI.md"
            continue
        assert path in reference, f"stridewise {' '.join(path)} is not in docs/CLI.md"
        missing = options_of(command) - reference[path]
        assert not missing, f"stridewise {' '.join(path)}: {sorted(missing)} not in docs/CLI.md"


def test_the_reference_names_only_what_exists():
    commands = dict(command_tree())
    for path, options in documented().items():
        assert path in commands, f"docs/CLI.md names stridewise {' '.join(path)}, which is gone"
        unknown = options - options_of(commands[path]) - {"--help"}
        assert not unknown, f"docs/CLI.md: stridewise {' '.join(path)} has no {sorted(unknown)}"


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return listed.stdout.splitlines()


def test_no_file_points_at_a_shared_folder_beside_the_repository():
    offenders = []
    for name in tracked_files():
        if name in REAL_FILE_FIXTURE or not (REPO / name).is_file():
            continue
        text = (REPO / name).read_bytes().decode("utf-8", errors="replace")
        if re.search(BESIDE, text):
            offenders.append(name)
    assert offenders == []


@pytest.mark.parametrize("path", [path for path, _ in command_tree()], ids=" ".join)
def test_no_help_points_at_a_shared_folder(path):
    result = CliRunner().invoke(cli, [*path, "-h"])
    assert result.exit_code == 0
    assert "shared/" not in result.output
    assert result.output.startswith("Usage: ")


def test_the_docs_the_sources_name_are_in_the_repository():
    """Comments say "RULES.md", "CLI.md", "FORMATS.md": the repository has them in docs/."""
    named = set()
    for source in (REPO / "src").rglob("*.py"):
        named |= set(re.findall(r"\b(CLI|FORMATS)\.md\b", source.read_text(encoding="utf-8")))
    for name in named:
        assert (REPO / "docs" / f"{name}.md").is_file(), name
