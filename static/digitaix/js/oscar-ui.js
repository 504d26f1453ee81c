/* Digitaix: what the public pages used of Oscar's ui.js and Bootstrap's JavaScript, without
 * jQuery (neither is loaded there any more). Oscar's templates keep their hooks
 * (data-behaviours, data-loading-text, data-dismiss, its form ids), read here:
 *   - a message's close button removes the message (Bootstrap's alert plugin);
 *   - a submit button with data-loading-text says so and is disabled once its form is sent,
 *     and a form[data-behaviours~="lock"] is sent once only (Oscar's forms);
 *   - the basket's "Retirer", "Garder pour plus tard" and saved-items links tick their line's
 *     hidden box and send the form (a full page load: Oscar's ui.js sent it with AJAX), and its
 *     voucher form opens from its link;
 *   - the checkout gateway's password field is only usable for "J'ai un compte";
 *   - the notifications' "archive" and "delete" links act on their own row.
 * Loaded with `defer`: the page is parsed when this runs.
 */
(function () {
    "use strict";

    document.addEventListener("click", function (event) {
        var close = event.target.closest('[data-dismiss="alert"]');
        if (close) {
            event.preventDefault();
            var alert = close.closest(".alert");
            if (alert) {
                alert.remove();
            }
        }
    });

    // Oscar's forms: a button saying it is busy, a form sent only once.
    document.addEventListener("click", function (event) {
        var button = event.target.closest("[data-loading-text]");
        if (!button || (button.form && !button.form.checkValidity())) {
            return;
        }
        var property = button.tagName === "INPUT" ? "value" : "textContent";
        // After the click has sent the form: a disabled button would not send it.
        window.setTimeout(function () {
            busy.push([button, property, button[property]]);
            button[property] = button.getAttribute("data-loading-text");
            button.disabled = true;
            button.classList.add("disabled");
        });
    });
    var busy = [];
    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!form.matches('form[data-behaviours~="lock"]')) {
            return;
        }
        if (form.dataset.dxLocked) {
            event.preventDefault();
        }
        form.dataset.dxLocked = "1";
    });
    // Back to a page the browser kept (back button): its buttons and forms work again.
    window.addEventListener("pageshow", function (event) {
        if (!event.persisted) {
            return;
        }
        busy.splice(0).forEach(function (saved) {
            saved[0][saved[1]] = saved[2];
            saved[0].disabled = false;
            saved[0].classList.remove("disabled");
        });
        document.querySelectorAll("form[data-dx-locked], form[data-dx-sent]").forEach(function (form) {
            delete form.dataset.dxLocked;
            delete form.dataset.dxSent;
        });
    });

    // The basket: a line's links tick its hidden box (remove, save for later, move back), then
    // send the form. Their data-id is the line's index in the formset.
    function tickAndSubmit(link, prefix, suffix) {
        var box = document.getElementById("id_" + prefix + "-" + link.getAttribute("data-id") + "-" + suffix);
        var form = link.closest("form");
        if (!box || !form || form.dataset.dxSent) {
            return;
        }
        box.checked = true;
        form.dataset.dxSent = "1";
        form.submit();
    }
    var BASKET_LINKS = [
        ['#basket_formset a[data-behaviours~="remove"]', "form", "DELETE"],
        ['#basket_formset a[data-behaviours~="save"]', "form", "save_for_later"],
        ['#saved_basket_formset a[data-behaviours~="move"]', "saved", "move_to_basket"],
        ['#saved_basket_formset a[data-behaviours~="remove"]', "saved", "DELETE"]
    ];
    document.addEventListener("click", function (event) {
        BASKET_LINKS.forEach(function (hook) {
            var link = event.target.closest(hook[0]);
            if (link) {
                event.preventDefault();
                tickAndSubmit(link, hook[1], hook[2]);
            }
        });
    });

    var voucherLink = document.getElementById("voucher_form_link");
    var voucherForm = document.getElementById("voucher_form_container");
    function voucherShow(show) {
        voucherForm.classList.toggle("dx-hidden", !show);
        voucherLink.hidden = show;
        if (show) {
            var code = document.getElementById("id_code");
            if (code) {
                code.focus();
            }
        }
    }
    if (voucherLink && voucherForm) {
        voucherLink.addEventListener("click", function (event) {
            if (event.target.closest("a")) {
                event.preventDefault();
                voucherShow(true);
            }
        });
        var cancel = document.getElementById("voucher_form_cancel");
        if (cancel) {
            cancel.addEventListener("click", function (event) {
                event.preventDefault();
                voucherShow(false);
                voucherLink.querySelector("a").focus();
            });
        }
        if (window.location.hash === "#voucher") {
            voucherShow(true);
        }
    }

    // The checkout gateway: no password for a guest or a new account.
    var options = document.querySelectorAll("form input[name=options]");
    var password = document.getElementById("id_password");
    if (options.length && password) {
        var passwordFollows = function () {
            var chosen = document.querySelector("form input[name=options]:checked");
            password.disabled = !!chosen && (chosen.value === "anonymous" || chosen.value === "new");
        };
        options.forEach(function (radio) {
            radio.addEventListener("change", passwordFollows);
        });
        passwordFollows();
    }

    // Notifications: a row's "archive" or "delete" link ticks the row and presses that button.
    document.addEventListener("click", function (event) {
        var link = event.target.closest('a[data-behaviours~="archive"], a[data-behaviours~="delete"]');
        if (!link || !link.closest("tr")) {
            return;
        }
        event.preventDefault();
        var action = link.getAttribute("data-behaviours").indexOf("archive") !== -1 ? "archive" : "delete";
        var box = link.closest("tr").querySelector("input[type=checkbox]");
        var button = link.closest("form").querySelector('button[value="' + action + '"]');
        if (box && button) {
            box.checked = true;
            button.click();
        }
    });
})();
