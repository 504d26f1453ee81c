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

/* The search box's type-ahead: a combobox (ARIA 1.2) whose listbox groups the shops, the
   categories and the products the words name (/search/suggestions/). Arrow keys move through
   the options (aria-activedescendant), Enter opens the one chosen (or searches as typed),
   Escape closes the list. Text goes in through textContent only. */
(function () {
    "use strict";
    var input = document.querySelector("input[data-dx-suggest]");
    if (!input || !window.fetch) {
        return;
    }
    var url = input.getAttribute("data-dx-suggest");
    var box = document.createElement("div");
    var status = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    box.id = "dx-suggest";
    box.className = "dx-suggest";
    box.hidden = true;
    box.setAttribute("role", "listbox");
    box.setAttribute("aria-label", input.getAttribute("data-dx-suggest-label"));
    status.className = "sr-only";
    status.setAttribute("role", "status");
    input.form.appendChild(box);
    input.form.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.id);

    function close() {
        box.hidden = true;
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        active = -1;
    }
    function choose(index) {
        options.forEach(function (option, i) {
            option.setAttribute("aria-selected", i === index ? "true" : "false");
        });
        active = index;
        if (index < 0) {
            input.removeAttribute("aria-activedescendant");
            return;
        }
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
    }
    function render(data) {
        box.textContent = "";
        options = [];
        ["shops", "categories", "products"].forEach(function (kind) {
            if (!data[kind] || !data[kind].length) {
                return;
            }
            var group = document.createElement("div");
            var title = document.createElement("div");
            group.setAttribute("role", "group");
            title.id = "dx-suggest-" + kind;
            title.className = "dx-suggest__group";
            title.setAttribute("role", "presentation");
            title.textContent = input.getAttribute("data-dx-suggest-" + kind);
            group.setAttribute("aria-labelledby", title.id);
            group.appendChild(title);
            data[kind].forEach(function (item) {
                var option = document.createElement("div");
                var label = document.createElement("span");
                option.id = "dx-suggest-" + options.length;
                option.className = "dx-suggest__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-url", item.url);
                label.textContent = item.label;
                option.appendChild(label);
                if (item.meta) {
                    var meta = document.createElement("span");
                    meta.className = "dx-suggest__meta";
                    meta.textContent = item.meta;
                    option.appendChild(meta);
                }
                option.addEventListener("mousedown", function (event) {
                    event.preventDefault();
                    window.location.href = item.url;
                });
                options.push(option);
                group.appendChild(option);
            });
            box.appendChild(group);
        });
        active = -1;
        if (options.length) {
            box.hidden = false;
            input.setAttribute("aria-expanded", "true");
            status.textContent = input.getAttribute("data-dx-suggest-count").replace("%s", options.length);
        } else {
            close();
            status.textContent = "";
        }
    }
    input.addEventListener("input", function () {
        var query = input.value.trim();
        window.clearTimeout(timer);
        if (query.length < 2) {
            close();
            return;
        }
        timer = window.setTimeout(function () {
            window.fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
                .then(function (response) { return response.json(); })
                .then(function (data) {
                    if (input.value.trim() === query) {
                        render(data);
                    }
                })
                .catch(close);
        }, 150);
    });
    input.addEventListener("keydown", function (event) {
        var open = !box.hidden && options.length;
        if (event.key === "ArrowDown" && options.length) {
            event.preventDefault();
            if (box.hidden) {
                box.hidden = false;
                input.setAttribute("aria-expanded", "true");
            }
            choose((active + 1) % options.length);
        } else if (event.key === "ArrowUp" && open) {
            event.preventDefault();
            choose(active <= 0 ? options.length - 1 : active - 1);
        } else if (event.key === "Enter" && open && active >= 0) {
            event.preventDefault();
            window.location.href = options[active].getAttribute("data-url");
        } else if (event.key === "Escape" && open) {
            event.preventDefault();
            close();
        }
    });
    input.addEventListener("blur", function () {
        window.setTimeout(close, 100);
    });
}());

/* Checkout, step 1: each shop shows only the slot list of the mode chosen (both until one is),
   and its slots by day: a day picker, then that day's times, from the <optgroup>s the page
   carries (without this script the one grouped list stays, and still works). */
(function () {
    "use strict";
    document.querySelectorAll("[data-dx-mode-of]").forEach(function (group) {
        var radios = document.getElementsByName(group.getAttribute("data-dx-mode-of"));
        function show() {
            var chosen = "";
            Array.prototype.forEach.call(radios, function (radio) {
                if (radio.checked) {
                    chosen = radio.value;
                }
            });
            group.hidden = chosen !== "" && chosen !== group.getAttribute("data-dx-mode");
        }
        Array.prototype.forEach.call(radios, function (radio) {
            radio.addEventListener("change", show);
        });
        show();
    });
    document.querySelectorAll("select[data-dx-slots]").forEach(function (select) {
        var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
        if (groups.length < 2) {
            return;
        }
        var placeholder = select.options[0];
        var days = groups.map(function (group) {
            return { label: group.label, options: Array.prototype.slice.call(group.children) };
        });
        var picker = document.createElement("select");
        var label = document.createElement("label");
        picker.id = select.id + "-day";
        picker.className = "form-control mb-2";
        label.htmlFor = picker.id;
        label.textContent = select.getAttribute("data-dx-day-label");
        days.forEach(function (day, index) {
            var option = document.createElement("option");
            option.value = String(index);
            option.textContent = day.label;
            picker.appendChild(option);
        });
        var chosen = days.findIndex(function (day) {
            return day.options.some(function (option) { return option.selected; });
        });
        picker.value = String(Math.max(chosen, 0));
        function fill() {
            var day = days[Number(picker.value)];
            select.textContent = "";
            select.appendChild(placeholder);
            day.options.forEach(function (option) { select.appendChild(option); });
            if (!day.options.some(function (option) { return option.selected; })) {
                placeholder.selected = true;
            }
        }
        picker.addEventListener("change", function () {
            days.forEach(function (day) {
                day.options.forEach(function (option) { option.selected = false; });
            });
            fill();
        });
        var own = select.parentNode.querySelector('label[for="' + select.id + '"]');
        select.parentNode.insertBefore(label, own);
        select.parentNode.insertBefore(picker, own);
        fill();
    });
}());
