/*
 * The spaces' frame: the menu button opens and closes the menu on a phone (without
 * JavaScript the menu is simply shown). Escape closes it and gives the focus back.
 */
(function () {
    "use strict";
    document.documentElement.classList.add("js");
    var button = document.querySelector("[data-dx-menu]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) {
        return;
    }
    function set(open) {
        nav.classList.toggle("is-open", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
        set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && nav.classList.contains("is-open")) {
            set(false);
            button.focus();
        }
    });
})();
