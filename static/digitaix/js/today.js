/*
 * The shop's day (/ma-boutique/<code>/), while it is open: every `data-poll-seconds` it asks
 * `data-poll-url` for the orders part again (JSON: html, signature, counts, new_numbers),
 * puts it in place when its signature changed, announces the new orders in the live region
 * and rings a short beep (Web Audio: nothing to download). Polling stops while the page is
 * hidden and starts again, at once, when it is shown. The sound button (aria-pressed) turns
 * the beep off and on; the choice is remembered on this device (localStorage).
 */
(function () {
    "use strict";
    var root = document.querySelector("[data-dx-today]");
    if (!root) {
        return;
    }
    var live = document.querySelector("[data-today-live]");
    var soundButton = document.querySelector("[data-dx-sound]");
    var SOUND_KEY = "dx-today-sound";
    var period = Math.max(parseInt(root.dataset.pollSeconds, 10) || 20, 1) * 1000;
    var seen = {};
    var signature = root.dataset.signature || "";
    var timer = null;
    var audio = null;

    function remember(numbers) {
        numbers.forEach(function (number) { seen[number] = true; });
    }
    remember((root.dataset.newNumbers || "").split(" ").filter(Boolean));

    // --- The sound ------------------------------------------------------------------------
    function soundOn() {
        try {
            return window.localStorage.getItem(SOUND_KEY) !== "off";
        } catch (error) {
            return true;
        }
    }

    function showSound() {
        if (soundButton) {
            soundButton.setAttribute("aria-pressed", soundOn() ? "true" : "false");
        }
    }

    function audioContext() {
        var Context = window.AudioContext || window.webkitAudioContext;
        if (!Context) {
            return null;
        }
        audio = audio || new Context();
        if (audio.state === "suspended") {
            audio.resume().catch(function () {});
        }
        return audio;
    }

    function beep() {
        if (!soundOn()) {
            return;
        }
        root.dataset.beeps = String((parseInt(root.dataset.beeps, 10) || 0) + 1);
        var context = audioContext();
        if (!context) {
            return;
        }
        [0, 0.25].forEach(function (delay) {
            var start = context.currentTime + delay;
            var tone = context.createOscillator();
            var volume = context.createGain();
            tone.type = "sine";
            tone.frequency.value = 880;
            volume.gain.setValueAtTime(0.0001, start);
            volume.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
            volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
            tone.connect(volume);
            volume.connect(context.destination);
            tone.start(start);
            tone.stop(start + 0.22);
        });
    }

    if (soundButton) {
        soundButton.hidden = false;
        showSound();
        soundButton.addEventListener("click", function () {
            try {
                window.localStorage.setItem(SOUND_KEY, soundOn() ? "off" : "on");
            } catch (error) {
                return;
            }
            showSound();
            if (soundOn()) {
                audioContext(); // a click lets the page play sound from now on
            }
        });
    }
    // Browsers let a page play sound once someone used it: unlock at the first gesture.
    document.addEventListener("pointerdown", function () {
        if (soundOn()) {
            audioContext();
        }
    }, { once: true });

    // --- The news -------------------------------------------------------------------------
    function announce(numbers) {
        if (!live || !numbers.length) {
            return;
        }
        var label = numbers.length > 1 ? root.dataset.announceMany : root.dataset.announceOne;
        live.textContent = label + " " + numbers.join(", ");
    }

    function show(data) {
        var fresh = (data.new_numbers || []).filter(function (number) { return !seen[number]; });
        remember(data.new_numbers || []);
        if (data.html && data.signature !== signature) {
            var hadFocus = root.contains(document.activeElement);
            root.innerHTML = data.html;
            signature = data.signature;
            if (hadFocus) {
                root.focus();
            }
        }
        if (fresh.length) {
            announce(fresh);
            beep();
        }
    }

    function poll() {
        window.fetch(root.dataset.pollUrl, {
            credentials: "same-origin",
            headers: { "Accept": "application/json" },
            cache: "no-store"
        }).then(function (response) {
            var json = response.headers.get("Content-Type") || "";
            return response.ok && json.indexOf("application/json") === 0 ? response.json() : null;
        }).then(function (data) {
            if (data) {
                show(data);
            }
        }).catch(function () {
            // Offline or signed out: try again at the next tick.
        });
    }

    function start() {
        stop();
        timer = window.setInterval(poll, period);
    }

    function stop() {
        if (timer !== null) {
            window.clearInterval(timer);
            timer = null;
        }
    }

    document.addEventListener("visibilitychange", function () {
        if (document.hidden) {
            stop();
        } else {
            poll();
            start();
        }
    });
    if (!document.hidden) {
        start();
    }
})();
