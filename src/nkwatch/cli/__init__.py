"""The `nkwatch` command: a thin layer over the Python API.

Each command parses its options, calls one library function and prints; the
command modules import what they use when they run, so the command starts at
once.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from nkwatch.printable import printable

INTERRUPTED = 130  # the shell's status for a command stopped by Ctrl-C (128 + SIGINT)


class Commands(click.Group):
    """The command group, with errors of usage said in one line (exit 2) and Ctrl-C ending
    any command quietly with status 130."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            status = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "nkwatch"
            message = printable(exc.format_message())
            click.echo(f"nkwatch: {message} (see '{command} --help')", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("interrupted", err=True)
            sys.exit(INTERRUPTED)
        sys.exit(status if isinstance(status, int) else 0)


@click.group(cls=Commands)
@click.version_option(package_name="nkwatch")
def main() -> None:
    """nkwatch: a source-linked knowledge base of North Korea's industrial system."""


def register() -> None:
    from nkwatch.cli import export, facts, kb, search, serve  # noqa: F401  (they define their commands on `main`)


register()

if __name__ == "__main__":
    main()
