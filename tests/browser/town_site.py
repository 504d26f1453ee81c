"""What the page walks share (tests/browser/test_axe.py, test_layout.py): the settings their live
server runs with, and the script that names what makes a page scroll sideways. Their fixtures
(`town_site`, `role_page`) are in tests/browser/conftest.py."""

# Static files from the finders (no collectstatic), fast password hashes.
SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}

# What sticks out to the right, to say why a page scrolls sideways: elements past the window
# that no scrolling row clips (or that are positioned, which may escape it), the one reaching
# furthest first and, of those reaching as far, the innermost (the one to fix: its parents only
# stick out with it).
OVERFLOWING_JS = """() => {
    const limit = document.documentElement.clientWidth;
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map((c) => '.' + c).join('');
    const positioned = (el) => ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    const clipped = (el) => {
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
        }
        return false;
    };
    return [...document.querySelectorAll('body *')]
        .map((el, index) => ({el, index, right: el.getBoundingClientRect().right}))
        .filter(({el, right}) => right > limit + 1 && (positioned(el) || !clipped(el)))
        .sort((a, b) => b.right - a.right || b.index - a.index)
        .slice(0, 5)
        .map(({el, right}) => (el.parentElement ? name(el.parentElement) + ' > ' : '')
            + name(el) + ' → ' + Math.round(right) + ' px');
}"""


def entry_open(entry, *, width: int, height: int, town_site, role_page):
    """Open a page walk's `entry` (tests/browser/axe_pages.py) as its role at `width` ×
    `height`: its prepare step, then the page, answering the status expected. Returns the tab."""
    server, town = town_site
    page = role_page(entry.role)
    page.set_viewport_size({"width": width, "height": height})
    if entry.prepare is not None:
        entry.prepare(page, server, town)
    response = page.goto(server + entry.url(town))
    assert response is not None and response.status == entry.status, page.url
    return page
