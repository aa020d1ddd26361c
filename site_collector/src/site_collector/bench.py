"""Decoding throughput over a corpus of wired frames (for tools/bench.py)."""

import time
from pathlib import Path

from .frame import decode_frame


def load_frames(corpus_dir):
    frames_dir = Path(corpus_dir)
    if (frames_dir / "frames").is_dir():
        frames_dir = frames_dir / "frames"
    paths = sorted(frames_dir.glob("*.hex"))
    return [bytes.fromhex("".join(path.read_text().split())) for path in paths]


def decode_throughput(corpus_dir, seconds=1.0):
    """Frames decoded per second, cycling over the corpus for about ``seconds``."""
    frames = load_frames(corpus_dir)
    if not frames:
        raise ValueError(f"no .hex frames in {corpus_dir}")
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for frame in frames:
            decode_frame(frame)
        count += len(frames)
    return count / (time.perf_counter() - start)
