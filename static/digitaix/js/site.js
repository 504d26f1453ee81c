/* Digitaix: small progressive enhancements; every page works without this file. */
(function () {
    "use strict";
    // Filter panels are folded on a phone (a <details>) and unfolded from tablet width up.
    if (window.matchMedia && window.matchMedia("(min-width: 768px)").matches) {
        document.querySelectorAll("details[data-dx-open-wide]").forEach(function (el) {
            el.open = true;
        });
    }

    // The category menu on one row: the links that do not fit move, in their order, into the
    // "Plus" list (a disclosure: a button, aria-expanded, the list it controls). Without this
    // script the row wraps and shows every link.
    function catnav(list) {
        var more = list.querySelector(".dx-catnav__more");
        var button = more.querySelector(".dx-catnav__more-button");
        var menu = document.getElementById(button.getAttribute("aria-controls"));
        var width = 0;

        function open(yes) {
            button.setAttribute("aria-expanded", yes ? "true" : "false");
            menu.hidden = !yes;
            if (yes) {
                // Under the button, its right edges aligned, yet never past the bar's left edge.
                var bar = list.getBoundingClientRect();
                var gap = bar.right - more.getBoundingClientRect().right;
                menu.style.right = Math.max(0, Math.min(gap, bar.width - menu.offsetWidth)) + "px";
            }
        }
        function overflows() {
            var last = more.hidden ? list.lastElementChild.previousElementSibling : more;
            return last.getBoundingClientRect().right > list.getBoundingClientRect().right + 0.5;
        }
        function fit() {
            open(false);
            while (menu.firstElementChild) {
                list.insertBefore(menu.firstElementChild, more);
            }
            more.hidden = true;
            if (overflows()) {
                more.hidden = false;
                var items = list.querySelectorAll(":scope > .dx-catnav__item");
                for (var i = items.length - 1; i >= 0 && overflows(); i--) {
                    menu.insertBefore(items[i], menu.firstElementChild);
                }
            }
            // The current page's link is in the list: the button is marked as that link was.
            button.classList.toggle(
                "dx-catnav__more-button--current", !!menu.querySelector("[aria-current]")
            );
        }
        function refit() {
            // Phones fire "resize" when their address bar slides: only a new width matters.
            if (list.clientWidth !== width) {
                width = list.clientWidth;
                fit();
            }
        }

        list.classList.add("dx-catnav__list--fit");
        refit();
        var pending = false;
        window.addEventListener("resize", function () {
            if (!pending) {
                pending = true;
                window.requestAnimationFrame(function () {
                    pending = false;
                    refit();
                });
            }
        });
        // Web fonts (the icons) change the widths once loaded; an open list is left alone.
        function settle() {
            if (menu.hidden) {
                fit();
            }
        }
        if (document.fonts && document.fonts.ready) {
            document.fonts.ready.then(settle);
        }
        window.addEventListener("load", settle);

        button.addEventListener("click", function () {
            open(menu.hidden);
        });
        more.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && !menu.hidden) {
                event.preventDefault();
                open(false);
                button.focus();
            }
        });
        // Closed when the focus or a click goes elsewhere.
        more.addEventListener("focusout", function (event) {
            if (event.relatedTarget && !more.contains(event.relatedTarget)) {
                open(false);
            }
        });
        document.addEventListener("click", function (event) {
            if (!menu.hidden && !more.contains(event.target)) {
                open(false);
            }
        });
    }
    document.querySelectorAll("[data-dx-catnav]").forEach(catnav);
})();
