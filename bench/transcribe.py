"""Benchmark of offline speech recognition: word error per language, speed against real time, memory.

The recordings are made on the spot by espeak-ng: the same 8 sentences per language (EN, CS, DE, FR),
each spoken by several of its voices (default, +m3, +f2, +klatt), all 8 in one recording per voice, as a
client would leave a message. They go through `statex.extraction.extract` exactly as the extraction job
calls it, in a child process pinned to 2 cores, whose peak resident memory is the worker's.

Run: .venv/bin/python bench/transcribe.py [--quick] [--voices default +m3 ...] [--baseline FILE]
--baseline names a RESULT line saved from an earlier run (e.g. bench/data/transcribe_pocketsphinx.json,
the old engine measured on the old code): each figure is then also printed as a ratio to it.
Word error is jiwer's WER after lower-casing and dropping punctuation.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = ROOT / "bench" / "data" / "transcribe_pocketsphinx.json"
VOICES = ["", "+m3", "+f2", "+klatt"]
SENTENCES = {
    "en": ["Hello, we are a small company and we need a new website.",
           "Please send me the price of the new website.",
           "We would like to automate the processing of our invoices.",
           "Every month two people retype the orders into the accounting system.",
           "Our customers often ask the same questions by email.",
           "Could you build a chatbot that answers them in our shop?",
           "The project should be finished before the end of the summer.",
           "Please call me back tomorrow morning if you have time."],
    "cs": ["Dobrý den, jsme malá firma a potřebujeme nové webové stránky.",
           "Pošlete mi prosím cenu nového webu.",
           "Chtěli bychom automatizovat zpracování našich faktur.",
           "Každý měsíc dva lidé přepisují objednávky do účetního systému.",
           "Naši zákazníci se často ptají na stejné otázky emailem.",
           "Mohli byste vytvořit chatbota, který jim odpoví v našem obchodě?",
           "Projekt by měl být hotový do konce léta.",
           "Zavolejte mi prosím zítra ráno, pokud budete mít čas."],
    "de": ["Guten Tag, wir sind eine kleine Firma und brauchen eine neue Webseite.",
           "Bitte schicken Sie mir den Preis für die neue Webseite.",
           "Wir möchten die Verarbeitung unserer Rechnungen automatisieren.",
           "Jeden Monat tippen zwei Mitarbeiter die Bestellungen in die Buchhaltung ab.",
           "Unsere Kunden stellen per Mail oft dieselben Fragen.",
           "Könnten Sie einen Chatbot bauen, der sie in unserem Shop beantwortet?",
           "Das Projekt sollte vor dem Ende des Sommers fertig sein.",
           "Bitte rufen Sie mich morgen früh zurück, wenn Sie Zeit haben."],
    "fr": ["Bonjour, nous sommes une petite entreprise et nous avons besoin d'un nouveau site.",
           "Envoyez-moi le prix du nouveau site, s'il vous plaît.",
           "Nous voulons automatiser le traitement de nos factures.",
           "Chaque mois, deux personnes retapent les commandes dans la comptabilité.",
           "Nos clients posent souvent les mêmes questions par courriel.",
           "Pourriez-vous créer un assistant qui leur répond dans notre boutique?",
           "Le projet doit être terminé avant la fin de l'été.",
           "Rappelez-moi demain matin si vous avez le temps."],
}


def normalise(text: str) -> str:
    """Lower case, one kind of apostrophe, no punctuation: what word error should not count."""
    text = unicodedata.normalize("NFC", text).lower().replace("’", "'").replace("-", " ")
    text = "".join(c if c.isalnum() or c in " '" else " " for c in text)
    return re.sub(r"\s+", " ", text).strip()


def record(folder: Path, language: str, voice: str, sentences: list[str]) -> Path:
    """The sentences spoken by one espeak-ng voice, as one WAV file."""
    path = folder / f"{language}{voice or '+default'}.wav"
    subprocess.run(["espeak-ng", "-v", language + voice, "-s", "150", "-w", str(path), " ".join(sentences)],
                   check=True, timeout=120)
    return path


def child(manifest: Path) -> None:
    """Transcribe every recording in the manifest, as the extraction job does; print one JSON line."""
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:2])
    sys.path.insert(0, str(ROOT))
    from statex.config import load_settings
    from statex.extraction import extract

    settings = load_settings()
    recordings = json.loads(manifest.read_text())
    started = time.perf_counter()
    extract(Path(recordings[0]["path"]), "audio/wav", settings=settings)  # loads the model
    first_s = time.perf_counter() - started
    results = []
    for item in recordings:
        started, cpu = time.perf_counter(), time.process_time()
        result = extract(Path(item["path"]), "audio/wav", settings=settings, language_hint=item["hint"])
        results.append({**item, "text": result.text, "language": result.language, "method": result.method,
                        "seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                        "audio_seconds": result.audio_seconds, "confidence": getattr(result, "confidence", None)})
    status = Path("/proc/self/status").read_text()
    peak_mb = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
    print(json.dumps({"results": results, "first_s": first_s,
                      "peak_rss_mb": round(peak_mb), "cores": len(os.sched_getaffinity(0))}))


def measure(languages: list[str], voices: list[str], sentences: int, hint: bool) -> dict:
    """Record, transcribe in a child process, and score: per language and voice."""
    import jiwer

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        recordings = [{"expected": language, "voice": voice or "default", "hint": language if hint else None,
                       "path": str(record(folder, language, voice, SENTENCES[language][:sentences])),
                       "reference": " ".join(SENTENCES[language][:sentences])}
                      for language in languages for voice in voices]
        (folder / "manifest.json").write_text(json.dumps(recordings))
        output = subprocess.run([sys.executable, __file__, "--child", str(folder / "manifest.json")],
                                cwd=ROOT, check=True, capture_output=True, text=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    for item in report["results"]:
        item["wer"] = jiwer.wer(normalise(item["reference"]), normalise(item["text"]) or "<nothing>")
    return report


def summary(report: dict, languages: list[str]) -> dict:
    """The figures of the RESULT line: WER and detected-language share per language, speed, memory."""
    results = report["results"]
    audio = sum(r["audio_seconds"] for r in results)
    wall = sum(r["seconds"] for r in results)
    cpu = sum(r["cpu_seconds"] for r in results)
    figures = {"method": results[0]["method"], "cores": report["cores"], "audio_s": round(audio, 1),
               "speed_x_real_time": round(audio / wall, 2), "real_time_factor": round(wall / audio, 3),
               "audio_per_cpu_s": round(audio / cpu, 2), "load_average": round(os.getloadavg()[0], 1),
               "first_recording_s": round(report["first_s"], 2), "peak_rss_mb": report["peak_rss_mb"]}
    for language in languages:
        mine = [r for r in results if r["expected"] == language]
        figures[f"wer_{language}"] = round(sum(r["wer"] for r in mine) / len(mine), 3)
        figures[f"detected_{language}"] = round(sum(r["language"] == language for r in mine) / len(mine), 2)
        scored = [r["confidence"] for r in mine if r["confidence"] is not None]
        if scored:
            figures[f"confidence_{language}"] = round(sum(scored) / len(scored), 3)
    return figures


def print_report(report: dict, figures: dict, baseline: dict | None, languages: list[str]) -> None:
    print(f"{'recording':<14} {'detected':>8} {'WER':>6} {'audio':>7} {'wall':>7}  transcript")
    for r in report["results"]:
        print(f"{Path(r['path']).stem:<14} {r['language'] or '-':>8} "
              f"{r['wer']:6.1%} {r['audio_seconds']:6.1f}s {r['seconds']:6.2f}s  {r['text'][:90]!r}")
    print(f"\nengine {figures['method']}, {figures['cores']} cores, {figures['audio_s']} s of speech, "
          f"load average {figures['load_average']} (wall-clock speed suffers on a busy machine; CPU time less)")
    rows = [(f"word error, {language.upper()}", f"wer_{language}", "{:.1%}") for language in languages]
    rows += [(f"language detected, {language.upper()}", f"detected_{language}", "{:.0%}") for language in languages]
    rows += [(f"confidence, {language.upper()}", f"confidence_{language}", "{:.2f}") for language in languages
             if f"confidence_{language}" in figures]
    rows += [("speed: audio seconds per second of work", "speed_x_real_time", "{:.2f}x"),
             ("audio seconds per CPU second (load-proof)", "audio_per_cpu_s", "{:.2f}"),
             ("first recording, model load included, s", "first_recording_s", "{:.2f}"),
             ("peak memory of the transcribing process, MB", "peak_rss_mb", "{:.0f}")]
    for label, key, form in rows:
        ratio = ""
        if baseline and baseline.get(key):
            ratio = f"   {figures[key] / baseline[key]:.2f} of {baseline['method']}'s {form.format(baseline[key])}"
        print(f"  {label:<46} {form.format(figures[key]):>8}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="3 sentences, 2 voices: a check, not figures")
    parser.add_argument("--languages", nargs="+", default=list(SENTENCES), choices=list(SENTENCES))
    parser.add_argument("--voices", nargs="+", default=None, help="espeak-ng variants; 'default' for none")
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--hint", action="store_true",
                        help="tell the recogniser each recording's language, as a client who chose it on the form")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    assert shutil.which("espeak-ng"), "espeak-ng is missing: deploy/local/services.sh installs it"
    voices = [("" if v == "default" else v) for v in args.voices] if args.voices else VOICES
    if args.quick:
        voices = voices[:2]
    report = measure(args.languages, voices, 3 if args.quick else 8, args.hint)
    figures = summary(report, args.languages)
    baseline = json.loads(args.baseline.read_text()) if args.baseline.exists() else None
    print_report(report, figures, baseline, args.languages)
    if baseline:
        figures |= {f"{key}_ratio": round(figures[key] / baseline[key], 3) for key in figures
                    if key.startswith(("wer_", "speed", "audio_per")) and isinstance(baseline.get(key), (int, float))
                    and baseline[key]}
    print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
