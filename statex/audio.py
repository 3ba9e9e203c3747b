"""What we need to know about an audio recording before accepting it: that it plays, and how long."""

from __future__ import annotations

from typing import BinaryIO

import av


def duration(stream: BinaryIO) -> float | None:
    """Seconds of audio in the stream, or None when it holds no audio or also holds video."""
    stream.seek(0)
    try:
        with av.open(stream, mode="r") as container:
            if not container.streams.audio or container.streams.video:
                return None
            if container.duration:
                return container.duration / av.time_base
            # Browsers' MediaRecorder writes WebM without a duration: read the packets' timestamps.
            return _demuxed_seconds(container)
    except (av.FFmpegError, ValueError, OSError):
        return None
    finally:
        stream.seek(0)


def _demuxed_seconds(container) -> float | None:
    audio = container.streams.audio[0]
    end = None
    for packet in container.demux(audio):
        if packet.pts is None:
            continue
        finish = packet.pts + (packet.duration or 0)
        end = finish if end is None else max(end, finish)
    if end is None or audio.time_base is None:
        return None
    return float((end - (audio.start_time or 0)) * audio.time_base)
