"""The ingest's progress bar on a terminal (rich): files and the documents of the file
being read, with the totals where they are known, the rate and the time left; with
--engine dask, the documents done on the workers and their rate too."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bar
from rich.text import Text

from nkwatch.printable import one_line

if TYPE_CHECKING:
    from nkwatch.engines.dask import WorkerProgress
    from nkwatch.pipeline import Progress


class RateColumn(ProgressColumn):
    """Documents (or files) a second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")


class IngestBar:
    """A context manager whose `update` takes the pipeline's Progress."""

    def __init__(self) -> None:
        self.bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[note]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self.files: TaskID | None = None
        self.items: TaskID | None = None
        self.remote: TaskID | None = None

    def __enter__(self) -> IngestBar:
        self.bar.start()
        self.files = self.bar.add_task("files", total=None, note="")
        self.items = self.bar.add_task("documents", total=None, note="", visible=False)
        self.remote = self.bar.add_task("on workers", total=None, note="", visible=False)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.bar.stop()

    def update(self, p: Progress) -> None:
        assert self.files is not None and self.items is not None
        name = one_line(p.source)
        self.bar.update(
            self.files,
            completed=p.files_done,
            total=p.files_total,
            note=f"{p.documents:,} documents, {p.posts:,} posts stored",
        )
        many = (p.items_total or 0) > 1
        self.bar.update(
            self.items,
            completed=p.items_done,
            total=p.items_total,
            visible=many,
            note=("…" + name[-39:]) if len(name) > 40 else name,
        )

    def workers(self, p: WorkerProgress) -> None:
        """The Dask side: documents done on the workers out of those sent (rich's bar is
        safe to update from the client's event loop thread)."""
        assert self.remote is not None
        self.bar.update(
            self.remote,
            completed=p.done,
            total=p.sent,
            visible=True,
            note=f"{p.workers} worker{'s' if p.workers != 1 else ''}",
        )
