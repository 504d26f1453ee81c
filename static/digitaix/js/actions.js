/* Digitaix: the page actions inline `onclick` handlers used to do.
 *
 * The Content-Security-Policy runs no inline handler, so buttons say what they do in a data
 * attribute (`data-dx-action="print"`), handled here. Oscar's own templates still carry a few
 * `onclick` handlers (a form's "cancel" link going back, a popup's close link, "print"): the
 * same three actions are recognised on them, so they keep working without `unsafe-inline`.
 * Oscar's image widget (our copy of its template) hid its upload button from an `onload`.
 */
(function () {
    "use strict";
    var ACTIONS = {
        print: function () { window.print(); },
        back: function () { window.history.back(); },
        close: function () { window.close(); }
    };

    function actionOf(el) {
        if (el.dataset.dxAction) {
            return el.dataset.dxAction;
        }
        var handler = el.getAttribute("onclick") || "";
        if (handler.indexOf("print()") !== -1) { return "print"; }
        if (handler.indexOf("history.go(-1)") !== -1) { return "back"; }
        if (handler.indexOf("window.close()") !== -1) { return "close"; }
        return null;
    }

    document.addEventListener("click", function (event) {
        var el = event.target.closest("[data-dx-action], [onclick]");
        var action = el && actionOf(el);
        if (action && ACTIONS[action]) {
            event.preventDefault();
            ACTIONS[action]();
        }
    });

    // load and error do not bubble: listen while they go down (capture) to the preview images.
    function imagePreview(event) {
        var img = event.target;
        if (!(img instanceof HTMLImageElement) || !img.hasAttribute("data-dx-image-preview")) {
            return;
        }
        var button = img.parentNode.querySelector("button");
        if (event.type === "load") {
            if (button) { button.style.display = "none"; }
        } else if (img.getAttribute("src")) {
            if (button) { button.style.display = ""; }
            window.alert(img.getAttribute("data-dx-image-error"));
        }
    }
    document.addEventListener("load", imagePreview, true);
    document.addEventListener("error", imagePreview, true);

    // Oscar's dashboard home draws its hourly bars with style attributes, which the policy
    // blocks: apply the bar's height (a number, nothing else) from a script instead.
    document.querySelectorAll("#order_graph .bar-layer > span").forEach(function (bar) {
        var height = /^\s*height:\s*(\d+(?:\.\d+)?)%;?\s*$/.exec(bar.getAttribute("style") || "");
        if (height) {
            bar.style.height = height[1] + "%";
        }
        var label = bar.querySelector("p");
        if (label && /display:\s*none/.test(label.getAttribute("style") || "")) {
            label.style.display = "none";
        }
    });
})();
