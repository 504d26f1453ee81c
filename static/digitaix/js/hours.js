/*
 * The hours page's week grid (templates/digitaix/dashboard/shops/shop_hours.html):
 * - "Fermé" ticked greys out (disables) the day's time inputs;
 * - "Copier sur…" opens a list of the other days (the following ones up to Saturday are
 *   ticked), "Copier" puts this day's hours on the ticked days. Nothing is saved until the
 *   grid's one "Enregistrer": the server checks the copied values like typed ones.
 * Without JavaScript the copy controls stay hidden and every day is typed.
 */
(function () {
    "use strict";
    var grid = document.querySelector("[data-dx-hours]");
    if (!grid) {
        return;
    }
    var NAMES = ["closed", "opens1", "closes1", "opens2", "closes2"];
    var status = grid.querySelector("[data-dx-hours-status]");

    function input(day, name) {
        return grid.querySelector("[name='d" + day + "-" + name + "']");
    }

    function dayName(day) {
        var legend = grid.querySelector("#day-" + day + " legend");
        return legend ? legend.textContent.trim().toLowerCase() : String(day);
    }

    function sync(day) {
        var closed = input(day, "closed").checked;
        NAMES.slice(1).forEach(function (name) {
            input(day, name).disabled = closed;
        });
        grid.querySelector("#day-" + day).classList.toggle("dx-hours__day--closed", closed);
    }

    function copy(from, targets) {
        targets.forEach(function (to) {
            NAMES.forEach(function (name) {
                var source = input(from, name), target = input(to, name);
                if (name === "closed") {
                    target.checked = source.checked;
                } else {
                    target.value = source.value;
                }
            });
            sync(to);
        });
        if (status) {
            status.textContent = (status.getAttribute("data-copied") || "%(from)s → %(to)s")
                .replace("%(from)s", dayName(from))
                .replace("%(to)s", targets.map(dayName).join(", "));
        }
    }

    grid.querySelectorAll("fieldset[data-day]").forEach(function (fieldset) {
        var day = fieldset.getAttribute("data-day");
        input(day, "closed").addEventListener("change", function () { sync(day); });
        sync(day);
    });

    grid.querySelectorAll("[data-dx-copy]").forEach(function (box) {
        var day = box.getAttribute("data-dx-copy");
        var toggle = box.querySelector("[data-dx-copy-toggle]");
        var panel = document.getElementById(toggle.getAttribute("aria-controls"));
        box.hidden = false;
        toggle.addEventListener("click", function () {
            var open = toggle.getAttribute("aria-expanded") !== "true";
            toggle.setAttribute("aria-expanded", open ? "true" : "false");
            panel.hidden = !open;
        });
        box.querySelector("[data-dx-copy-apply]").addEventListener("click", function () {
            var targets = [];
            panel.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
                targets.push(box.value);
            });
            copy(day, targets);
            toggle.setAttribute("aria-expanded", "false");
            panel.hidden = true;
            toggle.focus();
        });
    });
})();
