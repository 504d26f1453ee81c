/*
 * A chosen picture shown before it is uploaded: a file input carrying
 * data-dx-preview="ID" shows the chosen JPEG, PNG or WebP in <img id="ID"> (read as a data:
 * URL, which the CSP's img-src allows), with the image's data-alt-chosen text as its
 * alternative. Choosing nothing again brings the current picture back. The server still checks
 * the file (type, size, pixels) on save; this is only a preview.
 */
(function () {
    "use strict";
    if (!window.FileReader) {
        return;
    }
    var PICTURE = /^image\/(jpeg|png|webp)$/;
    document.querySelectorAll("input[type=file][data-dx-preview]").forEach(function (input) {
        var img = document.getElementById(input.getAttribute("data-dx-preview"));
        if (!img) {
            return;
        }
        var current = { src: img.getAttribute("src"), alt: img.alt, hidden: img.hidden };
        function restore() {
            if (current.src) {
                img.src = current.src;
            } else {
                img.removeAttribute("src");
            }
            img.alt = current.alt;
            img.hidden = current.hidden;
        }
        input.addEventListener("change", function () {
            var file = input.files && input.files[0];
            if (!file || !PICTURE.test(file.type)) {
                restore();
                return;
            }
            var reader = new FileReader();
            reader.addEventListener("load", function () {
                img.src = reader.result;
                img.alt = img.getAttribute("data-alt-chosen") || "";
                img.hidden = false;
            });
            reader.readAsDataURL(file);
        });
    });
})();
