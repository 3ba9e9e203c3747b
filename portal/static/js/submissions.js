// The submission form, enhanced: a voice recorder, attachments with drag and drop, and an upload
// with a progress bar per file. Without JavaScript the same form posts its plain file inputs.
"use strict";

(() => {
  const words = window.portalWords;
  const formatTime = (seconds) => {
    const whole = Math.floor(seconds);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  };
  const formatSize = (bytes) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);
  const filesOf = (list) => {
    const transfer = new DataTransfer();
    list.forEach((file) => transfer.items.add(file));
    return transfer.files;
  };

  // The recorder fills the form's own voice file input, so the normal form post carries it.
  function setUpRecorder(form) {
    const box = form.querySelector("[data-recorder]");
    const input = form.querySelector('input[name="voice"]');
    if (!box || !input || !window.MediaRecorder || !navigator.mediaDevices || !window.DataTransfer) return null;
    const maxSeconds = Number(form.dataset.maxAudioSeconds) || 600;
    const el = (name) => box.querySelector(`[data-${name}]`);
    const [recordButton, stopButton, timer, take, playback, status] =
      ["record", "stop", "timer", "take", "playback", "recorder-status"].map(el);
    let recorder = null;
    let ticker = null;
    let startedAt = 0;

    box.hidden = false;
    form.querySelector("[data-voice-input]").hidden = true;

    const say = (message) => { status.textContent = message; };
    const type = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"]
      .find((candidate) => MediaRecorder.isTypeSupported(candidate)) || "";

    const clear = () => {
      input.value = "";
      if (playback.src) URL.revokeObjectURL(playback.src);
      playback.removeAttribute("src");
      take.hidden = true;
    };

    const finish = (chunks, mime) => {
      const blob = new Blob(chunks, { type: mime });
      const extension = mime.includes("ogg") ? "ogg" : mime.includes("mp4") ? "m4a" : "webm";
      const file = new File([blob], `voice-message.${extension}`, { type: mime });
      input.files = filesOf([file]);
      playback.src = URL.createObjectURL(blob);
      take.hidden = false;
      recordButton.hidden = true;
      say(words.say("recorded", { time: formatTime((Date.now() - startedAt) / 1000) }));
      form.dispatchEvent(new Event("voice-changed"));
    };

    const stop = () => {
      if (recorder && recorder.state !== "inactive") recorder.stop();
      clearInterval(ticker);
      stopButton.hidden = true;
    };

    const start = async () => {
      clear();
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        const refused = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
        say(words.say(refused ? "microphone_refused" : "no_microphone"));
        form.querySelector("[data-voice-input]").hidden = false;
        return;
      }
      const chunks = [];
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
      recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
      recorder.addEventListener("stop", () => {
        stream.getTracks().forEach((track) => track.stop());
        finish(chunks, recorder.mimeType || type || "audio/webm");
      });
      startedAt = Date.now();
      recorder.start(1000);
      recordButton.hidden = true;
      stopButton.hidden = false;
      timer.textContent = "0:00";
      say(words.say("recording"));
      ticker = setInterval(() => {
        const elapsed = (Date.now() - startedAt) / 1000;
        timer.textContent = formatTime(elapsed);
        if (elapsed >= maxSeconds) {
          stop();
          say(words.say("recording_limit", { time: formatTime(maxSeconds) }));
        }
      }, 250);
    };

    recordButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
    el("rerecord").addEventListener("click", start);
    el("remove-voice").addEventListener("click", () => {
      clear();
      recordButton.hidden = false;
      timer.textContent = "0:00";
      say(words.say("recording_removed"));
      form.dispatchEvent(new Event("voice-changed"));
    });
    const restore = (file) => {
      input.files = filesOf([file]);
      playback.src = URL.createObjectURL(file);
      take.hidden = false;
      recordButton.hidden = true;
      say(words.say("recording_kept"));
    };
    return { input, restore };
  }

  // Attachments: a list the client can add to (picker or drop) and remove from before sending.
  function setUpAttachments(form) {
    const input = form.querySelector('input[name="files"]');
    const list = form.querySelector("[data-file-list]");
    const zone = form.querySelector("[data-dropzone]");
    if (!input || !list || !zone || !window.DataTransfer) return null;
    let selected = Array.from(input.files);
    zone.hidden = false;
    input.classList.add("visually-hidden");

    const render = () => {
      list.replaceChildren(...selected.map((file, index) => {
        const item = document.createElement("li");
        item.className = "file-list__item";
        const name = document.createElement("span");
        name.className = "file-list__name";
        name.textContent = `${file.name} (${formatSize(file.size)})`;
        const bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.hidden = true;
        bar.dataset.fileIndex = String(index);
        bar.setAttribute("aria-label", words.say("upload_of", { name: file.name }));
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-button";
        remove.textContent = words.say("remove");
        remove.setAttribute("aria-label", words.say("remove_file", { name: file.name }));
        remove.addEventListener("click", () => { selected.splice(index, 1); sync(); });
        item.append(name, bar, remove);
        return item;
      }));
    };
    const sync = () => { input.files = filesOf(selected); render(); };
    const add = (files) => {
      const key = (f) => `${f.name}/${f.size}/${f.lastModified}`;
      const known = new Set(selected.map(key));
      selected = selected.concat(Array.from(files).filter((f) => !known.has(key(f))));
      sync();
    };

    input.addEventListener("change", () => add(input.files));
    form.querySelector("[data-pick]").addEventListener("click", () => input.click());
    ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dropzone--over");
    }));
    ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("dropzone--over")));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      add(event.dataTransfer.files);
    });
    render();
    return { input, get files() { return selected; }, list, restore(files) { selected = files; sync(); } };
  }

  // Send with XMLHttpRequest to show how far each file got; the server answers as for a plain post.
  function setUpUpload(form, attachments, voice) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    const progress = form.querySelector("[data-progress]");
    const text = form.querySelector("[data-progress-text]");
    const button = form.querySelector("[data-submit]");

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      const body = new FormData(form);
      const voiceFiles = voice ? Array.from(voice.input.files) : [];
      const files = attachments ? attachments.files : [];
      const bars = attachments ? Array.from(attachments.list.querySelectorAll("progress")) : [];
      bars.forEach((bar) => { bar.hidden = false; bar.value = 0; });
      progress.hidden = false;
      text.textContent = words.say("sending");
      const request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        // Parts go in form order: the voice recording, then each attachment; the rest is small.
        const fileBytes = [...voiceFiles, ...files].reduce((sum, f) => sum + f.size, 0);
        let offset = Math.max(e.total - fileBytes, 0) / 2 + voiceFiles.reduce((sum, f) => sum + f.size, 0);
        files.forEach((file, index) => {
          const done = Math.min(Math.max((e.loaded - offset) / (file.size || 1), 0), 1);
          if (bars[index]) bars[index].value = Math.round(done * 100);
          offset += file.size;
        });
        text.textContent = words.say("sending_percent", { percent: Math.round((e.loaded / e.total) * 100) });
      });
      request.addEventListener("load", () => {
        if (request.status === 200 && request.responseURL && !request.responseURL.endsWith("/submissions/new")) {
          text.textContent = words.say("sent");
          window.location.assign(request.responseURL);
          return;
        }
        if (request.status === 422 || request.status === 400) {
          replaceForm(form, request.responseText, attachments, voiceFiles);
          return;
        }
        text.textContent = request.status === 413 ? words.say("too_large")
          : request.status === 429 ? words.say("too_many")
            : words.say("failed", { status: request.status });
        button.disabled = false;
      });
      request.addEventListener("error", () => {
        text.textContent = words.say("connection");
        button.disabled = false;
      });
      request.send(body);
    });
  }

  // A refused form comes back with per-field messages: show it, keeping the files still chosen.
  function replaceForm(form, html, attachments, voiceFiles) {
    const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("form.submission-form");
    if (!fresh) { document.open(); document.write(html); document.close(); return; }
    form.replaceWith(fresh);
    const kept = attachments ? attachments.files : [];
    const enhanced = enhance(fresh);
    if (enhanced.attachments && kept.length) enhanced.attachments.restore(kept);
    if (enhanced.voice && voiceFiles.length) enhanced.voice.restore(voiceFiles[0]);
    const dropped = fresh.querySelector(".notice--warning");
    if (dropped) dropped.remove();
    const firstError = fresh.querySelector(".field__error");
    if (firstError) firstError.scrollIntoView({ block: "center" });
  }

  function enhance(form) {
    const voice = setUpRecorder(form);
    const attachments = setUpAttachments(form);
    setUpUpload(form, attachments, voice);
    return { voice, attachments };
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.submission-form").forEach(enhance);
  });
})();
