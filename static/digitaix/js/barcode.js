/*
 * "Scanner le code-barres" on "Ajouter un produit": the phone's camera reads an EAN-13,
 * EAN-8 or UPC-A through the browser's BarcodeDetector, fills the search field and submits
 * it. Where the browser has no BarcodeDetector (or no camera API), the button stays hidden:
 * typing the digits always works.
 */
(function () {
    "use strict";
    var WANTED = ["ean_13", "ean_8", "upc_a"];
    var form = document.querySelector("[data-dx-scan-form]");
    var button = form && form.querySelector("[data-dx-scan]");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices ||
            !navigator.mediaDevices.getUserMedia) {
        return;
    }
    var panel = form.querySelector("[data-dx-scan-panel]");
    var video = form.querySelector("[data-dx-scan-video]");
    var status = form.querySelector("[data-dx-scan-status]");
    var input = form.querySelector("input[name=q]");
    var stream = null;
    var detector = null;
    var timer = null;

    function stop() {
        window.clearTimeout(timer);
        if (stream) {
            stream.getTracks().forEach(function (track) { track.stop(); });
        }
        stream = null;
        video.srcObject = null;
        panel.hidden = true;
        button.setAttribute("aria-expanded", "false");
    }

    function found(code) {
        stop();
        input.value = code;
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }

    function scan() {
        if (!stream) { return; }
        detector.detect(video).then(function (codes) {
            if (codes.length) {
                found(codes[0].rawValue);
            } else {
                timer = window.setTimeout(scan, 200);
            }
        }, function () {
            timer = window.setTimeout(scan, 400);
        });
    }

    function start() {
        panel.hidden = false;
        button.setAttribute("aria-expanded", "true");
        status.textContent = status.dataset.searching;
        navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
            .then(function (media) {
                stream = media;
                video.srcObject = media;
                return video.play();
            })
            .then(scan)
            .catch(function () {
                stop();
                panel.hidden = false;
                status.textContent = status.dataset.failed;
                input.focus();
            });
    }

    Promise.resolve(window.BarcodeDetector.getSupportedFormats ?
        window.BarcodeDetector.getSupportedFormats() : WANTED).then(function (formats) {
        var usable = WANTED.filter(function (f) { return formats.indexOf(f) !== -1; });
        if (!usable.length) { return; }
        detector = new window.BarcodeDetector({formats: usable});
        button.hidden = false;
        button.addEventListener("click", function () {
            if (stream) { stop(); } else { start(); }
        });
        form.querySelector("[data-dx-scan-stop]").addEventListener("click", function () {
            stop();
            button.focus();
        });
    }, function () { /* no usable detector: the button stays hidden */ });
})();
