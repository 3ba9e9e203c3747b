"""The offline recogniser's model: assembled from the shipped wheels once, loaded only where it transcribes."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from importlib import resources
from pathlib import Path


from statex.config import load_settings
from statex.extraction import extract, speech
from tests.statex import extraction_samples as samples

ROOT = Path(__file__).resolve().parents[2]


def _part_sizes() -> int:
    return sum((resources.files(package) / "data" / name).stat().st_size
               for package, name in zip(speech.SHIPPED_PARTS, ("model.bin.part1", "model.bin.part2")))


def test_shipped_model_is_assembled_once_without_the_network(tmp_path):
    target = speech.assemble_shipped_model(tmp_path)
    assert (target / "model.bin").stat().st_size == _part_sizes()
    assert {p.name for p in target.iterdir()} == {"model.bin", "config.json", "tokenizer.json", "vocabulary.json"}
    written = (target / "model.bin").stat().st_mtime_ns
    assert speech.assemble_shipped_model(tmp_path) == target
    assert (target / "model.bin").stat().st_mtime_ns == written
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no half-built folder left behind


def test_processes_assembling_at_once_all_get_the_whole_model(tmp_path):
    script = ("import sys; from pathlib import Path; from statex.extraction import speech; "
              "print(speech.assemble_shipped_model(Path(sys.argv[1])))")
    racers = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True) for _ in range(3)]
    paths = {racer.communicate(timeout=120)[0].strip() for racer in racers}
    assert all(racer.returncode == 0 for racer in racers)
    assert len(paths) == 1 and (Path(paths.pop()) / "model.bin").stat().st_size == _part_sizes()
    assert len(list(tmp_path.iterdir())) == 1


def test_whisper_model_names_a_directory_or_a_size(tmp_path, monkeypatch):
    monkeypatch.setenv("WHISPER_CACHE_DIR", str(tmp_path / "cache"))
    assembled = speech.assemble_shipped_model(tmp_path / "elsewhere")
    monkeypatch.setenv("WHISPER_MODEL", str(assembled))
    assert speech.model_source(load_settings()) == (str(assembled), str(tmp_path / "cache"))
    monkeypatch.setenv("WHISPER_MODEL", "small")  # downloaded into the cache at first use
    assert speech.model_source(load_settings()) == ("small", str(tmp_path / "cache"))
    monkeypatch.delenv("WHISPER_MODEL")
    source, _root = speech.model_source(load_settings())
    assert Path(source).parent == tmp_path / "cache" and (Path(source) / "model.bin").is_file()


def test_a_process_forked_after_the_model_was_loaded_fails_instead_of_hanging(tmp_path, settings):
    wav = samples.speech_wav(tmp_path)
    assert extract(wav, "audio/wav", settings=settings).text  # loaded in this process
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # CTranslate2 would hang here for good, with the inherited model or a new one
        try:
            extract(wav, "audio/wav", settings=settings)
            os.write(writer, b"transcribed")
        except RuntimeError as error:
            os.write(writer, str(error).encode()[:500])
        finally:
            os._exit(0)
    os.close(writer)
    ready, _, _ = select.select([reader], [], [], 60)
    if not ready:
        os.kill(child, 9)
    os.waitpid(child, 0)
    assert ready, "the forked child hung"
    message = os.read(reader, 1000).decode()
    assert "loaded in process" in message and "before it forked" in message, message
