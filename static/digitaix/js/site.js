/* Digitaix: small progressive enhancements; every page works without this file. */
(function () {
    "use strict";
    // Filter panels are folded on a phone (a <details>) and unfolded from tablet width up.
    if (window.matchMedia && window.matchMedia("(min-width: 768px)").matches) {
        document.querySelectorAll("details[data-dx-open-wide]").forEach(function (el) {
            el.open = true;
        });
    }
})();
