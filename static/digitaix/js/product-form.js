/*
 * The product form (add and edit):
 * - the category's type-ahead: the <select> (which works alone without JavaScript) is
 *   replaced by a WAI-ARIA 1.2 combobox (an input with a listbox popup) over the JSON list of
 *   categories; arrows move, Enter chooses, Escape closes; the choice is written back to the
 *   hidden <select>, which the form posts;
 * - the category suggested from the product's name, one tap to accept;
 * - a preview of the photo chosen (a data: URL, allowed by the policy's img-src).
 */
(function () {
    "use strict";
    var box = document.querySelector("[data-dx-combobox]");
    var select = box && box.querySelector("select");
    var suggest = box && box.querySelector("[data-dx-suggest]");

    function debounce(fn, wait) {
        var timer = null;
        return function () {
            var args = arguments;
            window.clearTimeout(timer);
            timer = window.setTimeout(function () { fn.apply(null, args); }, wait);
        };
    }

    function fetchJson(params) {
        var url = box.dataset.source + "?" + new URLSearchParams(params).toString();
        return window.fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
            .then(function (response) { return response.ok ? response.json() : {results: []}; });
    }

    function labelOf(id) {
        var option = select.querySelector('option[value="' + id + '"]');
        return option ? option.textContent : "";
    }

    function combobox() {
        var input = document.createElement("input");
        var list = document.createElement("ul");
        var live = document.createElement("p");
        var label = box.querySelector('label[for="' + select.id + '"]');
        var options = [];
        var active = -1;

        input.type = "text";
        input.id = select.id + "_saisie";
        input.className = "dx-combobox__input";
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", select.id + "_liste");
        input.setAttribute("autocomplete", "off");
        if (select.getAttribute("aria-describedby")) {
            input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
        }
        if (select.getAttribute("aria-invalid")) {
            input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
        }
        input.value = select.value ? labelOf(select.value) : "";
        list.id = select.id + "_liste";
        list.className = "dx-combobox__list";
        list.setAttribute("role", "listbox");
        if (label) {
            label.id = label.id || select.id + "_label";
            label.setAttribute("for", input.id);
            list.setAttribute("aria-labelledby", label.id);
        }
        list.hidden = true;
        live.className = "dx-sr-only";
        live.setAttribute("role", "status");
        select.hidden = true;
        select.setAttribute("tabindex", "-1");
        select.parentNode.insertBefore(input, select);
        select.parentNode.insertBefore(list, select.nextSibling);
        select.parentNode.appendChild(live);

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function highlight(index) {
            var items = list.querySelectorAll("[role=option]");
            if (!items.length) { return; }
            active = (index + items.length) % items.length;
            items.forEach(function (item, i) {
                item.setAttribute("aria-selected", i === active ? "true" : "false");
            });
            input.setAttribute("aria-activedescendant", items[active].id);
            items[active].scrollIntoView({block: "nearest"});
        }

        function choose(id, text) {
            select.value = String(id);
            input.value = text || labelOf(id);
            close();
        }

        function show(results) {
            options = results;
            list.textContent = "";
            results.forEach(function (result, i) {
                var item = document.createElement("li");
                item.id = list.id + "_" + i;
                item.setAttribute("role", "option");
                item.setAttribute("aria-selected", "false");
                item.className = "dx-combobox__option";
                item.textContent = result.label;
                item.addEventListener("mousedown", function (event) {
                    event.preventDefault();  // keep the focus in the input
                    choose(result.id, result.label);
                });
                list.appendChild(item);
            });
            list.hidden = !results.length;
            input.setAttribute("aria-expanded", results.length ? "true" : "false");
            active = -1;
            live.textContent = results.length ?
                box.dataset.count.replace("%(n)s", results.length) : box.dataset.empty;
        }

        var search = debounce(function () {
            fetchJson({q: input.value}).then(function (data) { show(data.results || []); });
        }, 150);

        input.addEventListener("input", search);
        input.addEventListener("focus", function () {
            if (!input.value) { search(); }
        });
        input.addEventListener("keydown", function (event) {
            var open = !list.hidden;
            if (event.key === "ArrowDown") {
                event.preventDefault();
                if (open) { highlight(active + 1); } else { search(); }
            } else if (event.key === "ArrowUp") {
                event.preventDefault();
                if (open) { highlight(active - 1); }
            } else if (event.key === "Enter" && open && active >= 0) {
                event.preventDefault();
                choose(options[active].id, options[active].label);
            } else if (event.key === "Escape") {
                if (open) { close(); } else { input.value = ""; select.value = ""; }
            }
        });
        input.addEventListener("blur", function () {
            close();
            if (!input.value.trim()) {
                select.value = "";
            } else {
                input.value = labelOf(select.value);
            }
        });
        return choose;
    }

    function suggestion(choose) {
        var accept = suggest.querySelector("[data-dx-suggest-accept]");
        var title = document.getElementById("id_title");
        accept.addEventListener("click", function () {
            choose(accept.dataset.id, accept.textContent);
            suggest.hidden = true;
        });
        if (!title) { return; }
        title.addEventListener("input", debounce(function () {
            if (title.value.trim().length < 3) { return; }
            fetchJson({titre: title.value}).then(function (data) {
                var found = data.suggestion;
                suggest.hidden = !found || String(found.id) === select.value;
                if (found) {
                    accept.dataset.id = found.id;
                    accept.textContent = found.label;
                }
            });
        }, 400));
    }

    if (select && !select.disabled) {
        var choose = combobox();
        if (suggest) { suggestion(choose); }
    }

    var photo = document.querySelector("input[type=file][name=photo]");
    var preview = document.querySelector("[data-dx-photo-preview]");
    if (photo && preview && window.FileReader) {
        photo.addEventListener("change", function () {
            var file = photo.files && photo.files[0];
            if (!file || file.type.indexOf("image/") !== 0) {
                preview.hidden = true;
                return;
            }
            var reader = new window.FileReader();
            reader.addEventListener("load", function () {
                preview.querySelector("img").src = reader.result;
                preview.hidden = false;
            });
            reader.readAsDataURL(file);
        });
    }
})();
