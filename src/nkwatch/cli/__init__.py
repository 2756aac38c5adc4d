"""The `nkwatch` command: a thin layer over the Python API.

Each command parses its options, calls one library function and prints; the
command modules import what they use when they run, so the command starts at
once.
"""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="nkwatch")
def main() -> None:
    """nkwatch: a source-linked knowledge base of North Korea's industrial system."""


def register() -> None:
    from nkwatch.cli import export, kb, search, serve  # noqa: F401  (they define their commands on `main`)


register()

if __name__ == "__main__":
    main()
