"""What a card downloads for a 1600 × 1600 photo, before and after renditions, and how long
rendering one photo takes.

    .venv/bin/python bench/renditions.py [--runs 20]

The photo is tests/photos.py's (gradients, shapes and grain: it weighs what a phone photo
does), uploaded as a merchant would (catalog.images.image_clean: JPEG quality 85, 1600 px at
most); before, a card showed that file itself. No database, no Django settings. Figures, not
pass/fail.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from catalog.images import image_clean  # noqa: E402
from catalog.renditions import renditions_render  # noqa: E402
from tests.photos import photo  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="renderings timed (20)")
    runs = parser.parse_args().runs
    upload = SimpleUploadedFile("photo.jpg", photo(1600))
    original = image_clean(upload, max_size=(1600, 1600)).read()
    size = Image.open(BytesIO(original)).size
    print(f"original (what a card loaded before)  {len(original) / 1024:7.1f} KB  {size}")
    for rendition in renditions_render(BytesIO(original)):
        kb = len(rendition.content) / 1024
        print(f"rendition {rendition.slot} (WebP)              {kb:7.1f} KB  "
              f"({rendition.width}, {rendition.height})")  # fmt: skip
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        renditions_render(BytesIO(original))
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"rendering both, {runs} runs: median {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms (decoding, resizing, encoding; not storing)"
    )


if __name__ == "__main__":
    main()
