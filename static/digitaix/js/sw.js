/* Digitaix: the service worker of the merchant space (/ma-boutique/), served by
 * digitaix.webapp.views.service_worker.
 *
 * It makes the space installable and shows the pushes the portal sends (a new order:
 * {title, body, url}); a tap opens that order. It caches nothing and answers no fetch: the
 * merchant's pages are private and always come from the server.
 */
"use strict";

var SCOPE = new URL(self.registration.scope);

self.addEventListener("install", function () {
    self.skipWaiting();
});

self.addEventListener("activate", function (event) {
    event.waitUntil(self.clients.claim());
});

/* Only a page of the merchant space may be opened from a notification. */
function safeUrl(url) {
    try {
        var target = new URL(url || SCOPE.href, SCOPE.href);
        if (target.origin === SCOPE.origin && target.pathname.indexOf(SCOPE.pathname) === 0) {
            return target.href;
        }
    } catch (error) { /* not a URL: the space's home */ }
    return SCOPE.href;
}

self.addEventListener("push", function (event) {
    var data = {};
    try {
        data = event.data ? event.data.json() : {};
    } catch (error) {
        data = {body: event.data ? event.data.text() : ""};
    }
    var options = {
        body: data.body || "",
        data: {url: safeUrl(data.url)},
        lang: "fr",
        tag: data.url || undefined,
        renotify: Boolean(data.url)
    };
    if (data.icon) {
        options.icon = data.icon;
        options.badge = data.icon;
    }
    event.waitUntil(self.registration.showNotification(data.title || "Digitaix", options));
});

self.addEventListener("notificationclick", function (event) {
    var url = safeUrl(event.notification.data && event.notification.data.url);
    event.notification.close();
    event.waitUntil(
        self.clients.matchAll({type: "window", includeUncontrolled: true}).then(function (windows) {
            var i;
            for (i = 0; i < windows.length; i += 1) {
                if (windows[i].url === url && "focus" in windows[i]) {
                    return windows[i].focus();
                }
            }
            for (i = 0; i < windows.length; i += 1) {
                if ("navigate" in windows[i] && windows[i].url.indexOf(SCOPE.href) === 0) {
                    return windows[i].focus().then(function (client) {
                        return client.navigate(url);
                    });
                }
            }
            return self.clients.openWindow(url);
        })
    );
});
