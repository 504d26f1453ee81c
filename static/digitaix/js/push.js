/* Digitaix: "Recevoir les nouvelles commandes sur ce téléphone" (templates/digitaix/space/
 * _push_toggle.html).
 *
 * Registers the merchant space's service worker, then subscribes this browser to Web Push with
 * the portal's VAPID key and hands the subscription to the portal (or takes it back). Every
 * text shown comes from the template (French first, translated there); the state is said in
 * the status line (aria-live) and by the button's aria-pressed. States: unsupported browser,
 * notifications blocked, subscribed, off.
 */
(function () {
    "use strict";
    var root = document.querySelector("[data-dx-push]");
    if (!root || !root.dataset.key) {
        return;  // push is off on this portal: the template says so
    }
    var button = root.querySelector("[data-dx-push-button]");
    var status = root.querySelector("[data-dx-push-status]");
    var workerUrl = root.dataset.workerUrl;
    var scope = workerUrl.slice(0, workerUrl.lastIndexOf("/") + 1);
    var registration = null;

    function say(text) {
        status.textContent = text;
    }

    function show(state, text) {
        root.dataset.state = state;
        button.hidden = state === "unsupported" || state === "denied";
        button.disabled = false;
        button.setAttribute("aria-pressed", state === "subscribed" ? "true" : "false");
        button.classList.toggle("btn-primary", state !== "subscribed");
        button.classList.toggle("btn-outline-primary", state === "subscribed");
        say(text || root.dataset["msg" + state.charAt(0).toUpperCase() + state.slice(1)]);
    }

    function supported() {
        return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
    }

    /* The VAPID public key (base64url) as the bytes PushManager.subscribe takes. */
    function keyBytes(base64url) {
        var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
        var raw = window.atob(base64 + "===".slice((base64.length + 3) % 4));
        var bytes = new Uint8Array(raw.length);
        for (var i = 0; i < raw.length; i += 1) {
            bytes[i] = raw.charCodeAt(i);
        }
        return bytes;
    }

    function post(url, body) {
        return window.fetch(url, {
            method: "POST",
            credentials: "same-origin",
            redirect: "error",  // signed out: the login page is no answer
            headers: {"Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf},
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (data) {
                if (!response.ok) {
                    var error = new Error(data.message || root.dataset.msgError);
                    error.status = response.status;
                    throw error;
                }
                return data;
            });
        });
    }

    function subscribe() {
        var options = {userVisibleOnly: true, applicationServerKey: keyBytes(root.dataset.key)};
        return registration.pushManager.subscribe(options).catch(function () {
            // Subscribed earlier with another key (the portal changed its pair): start again.
            return registration.pushManager.getSubscription().then(function (old) {
                return (old ? old.unsubscribe() : Promise.resolve()).then(function () {
                    return registration.pushManager.subscribe(options);
                });
            });
        }).then(function (subscription) {
            return post(root.dataset.subscribeUrl, subscription.toJSON()).catch(function (error) {
                subscription.unsubscribe();
                throw error;
            });
        });
    }

    function turnOn() {
        return window.Notification.requestPermission().then(function (permission) {
            if (permission === "denied") {
                return show("denied");
            }
            if (permission !== "granted") {
                return show("off");
            }
            return subscribe().then(function (data) { show("subscribed", data.message); });
        });
    }

    function turnOff() {
        return registration.pushManager.getSubscription().then(function (subscription) {
            if (!subscription) {
                return show("off");
            }
            var endpoint = subscription.endpoint;
            return subscription.unsubscribe().then(function () {
                return post(root.dataset.unsubscribeUrl, {endpoint: endpoint}).catch(function (error) {
                    if (error.status !== 404) {  // 404: the portal had forgotten it already
                        throw error;
                    }
                });
            }).then(function () { show("off"); });
        });
    }

    button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") === "true";
        button.disabled = true;
        say(root.dataset.msgWorking);
        (on ? turnOff() : turnOn()).catch(function (error) {
            // The portal's own (French) message, else ours: a browser's error is in its language.
            var text = error && error.status ? error.message : root.dataset.msgError;
            show(on ? "subscribed" : "off", text);
        });
    });

    if (!supported()) {
        show("unsupported");
        return;
    }
    if (window.Notification.permission === "denied") {
        show("denied");
        return;
    }
    navigator.serviceWorker.register(workerUrl, {scope: scope}).then(function (ready) {
        registration = ready;
        return registration.pushManager.getSubscription();
    }).then(function (subscription) {
        if (subscription && window.Notification.permission === "granted") {
            // Told again (harmless): the portal may have dropped it, or another account used it.
            return post(root.dataset.subscribeUrl, subscription.toJSON()).then(function () {
                show("subscribed");
            });
        }
        show("off");
    }).catch(function () {
        show("off", root.dataset.msgError);
    });
}());
