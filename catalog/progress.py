"""The progress bar of the long management commands (seed_town, render_images).

In the catalogue, low in the layers, so that the commands of the apps above may draw it too.
"""

from django.core.management.base import OutputWrapper


class ProgressBar:
    """A one-line text bar per phase, redrawn in place on a terminal: no dependency."""

    def __init__(self, out: OutputWrapper, width: int = 30) -> None:
        self.out, self.width, self.label = out, width, ""
        self.live = out.isatty()  # in a log file, only each phase's final state

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.live and done < total:
            return
        if label != self.label:
            self.close()
            self.label = label
        filled = self.width * done // total if total else self.width
        percent = 100 * done // total if total else 100
        bar = "#" * filled + "." * (self.width - filled)
        self.out.write(f"\r{label:<10} [{bar}] {percent:3d} % {done}/{total}", ending="")
        self.out.flush()

    def close(self) -> None:
        if self.label:
            self.out.write("")
            self.label = ""
