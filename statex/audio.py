"""What we need to know about an audio recording before accepting it: that it plays, and how long."""

from __future__ import annotations

from typing import BinaryIO

import av


def duration(stream: BinaryIO, limit: float | None = None) -> float | None:
    """Seconds the stream's audio decodes to, or None when it holds no audio or also holds video.

    Measured from the decoded frames: a container's stated duration is the sender's word (an MP3 saying
    0.27 s played for 700). Decoding stops once past `limit`, so a long file costs no more than the limit.
    """
    stream.seek(0)
    try:
        with av.open(stream, mode="r") as container:
            if not container.streams.audio or container.streams.video:
                return None
            return _decoded_seconds(container, limit)
    except (av.FFmpegError, ValueError, OSError):
        return None
    finally:
        stream.seek(0)


def _decoded_seconds(container, limit: float | None) -> float | None:
    samples, rate = 0, container.streams.audio[0].sample_rate or 1
    for packet in container.demux(container.streams.audio[0]):
        try:
            frames = packet.decode()
        except av.InvalidDataError:
            continue  # a damaged frame: players skip it, and so do we
        for frame in frames:
            samples, rate = samples + frame.samples, frame.sample_rate or rate
        if limit is not None and samples / rate > limit:
            break
    return samples / rate if samples else None
