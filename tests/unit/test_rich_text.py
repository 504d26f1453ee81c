"""The one sanitiser of rich text: an allowlist, nothing that can run."""

import json
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.templatetags.rich_text import rich_text
from catalog.text import (
    RICH_TEXT_ATTRIBUTES,
    RICH_TEXT_TAGS,
    RICH_TEXT_URL_SCHEMES,
    json_data_block,
    rich_text_clean,
)

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<!--<script>alert(1)</script>-->",
    '<form action="/dashboard/"><button>ok</button></form>',
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_nothing_that_can_run_survives_the_sanitiser(attack):
    cleaned = rich_text_clean(attack).lower()
    for marker in ("<script", "onerror", "onload", "onclick", "javascript:", "<iframe", "<svg"):
        assert marker not in cleaned
    assert "style" not in cleaned.replace("&lt;style", "")
    assert "<form" not in cleaned and "data:" not in cleaned


def test_paragraphs_lists_emphasis_and_links_are_kept_links_get_nofollow():
    html = (
        "<p>Fromage <strong>affiné</strong> <em>trois</em> mois</p><ul><li>un</li></ul>"
        '<a href="https://ferme.example/" rel="opener" target="_blank">la ferme</a>'
    )
    assert rich_text_clean(html) == (
        "<p>Fromage <strong>affiné</strong> <em>trois</em> mois</p><ul><li>un</li></ul>"
        '<a href="https://ferme.example/" rel="nofollow noopener">la ferme</a>'
    )


def test_cleaning_clean_text_changes_nothing():
    once = rich_text_clean("Pain & beurre <b>bio</b> <img src=x onerror=alert(1)> a < b")
    assert rich_text_clean(once) == once
    assert rich_text_clean(None) == rich_text_clean("") == ""


def test_the_template_filter_cleans_again_what_it_marks_safe():
    printed = rich_text('<p onclick="alert(1)">ok</p><script>alert(1)</script>')
    assert printed == "<p>ok</p>"
    assert hasattr(printed, "__html__")


def test_rich_text_as_plain_text_has_no_tags_and_no_entities_left():
    from catalog.templatetags.rich_text import rich_text_as_text

    cleaned = rich_text_clean("<p>Tomme & <b>Beaufort</b></p><script>alert(1)</script> a < b")
    assert rich_text_as_text(cleaned) == "Tomme & Beaufort a < b"
    assert not hasattr(rich_text_as_text(cleaned), "__html__")  # escaped by the page


def test_text_cleaned_once_is_not_cleaned_again_but_anything_made_from_it_is():
    from catalog.text import CleanHTML

    cleaned = rich_text_clean("<p>Tomme</p>")
    assert type(cleaned) is CleanHTML and rich_text_clean(cleaned) is cleaned
    assert type(cleaned + "<script>alert(1)</script>") is str
    assert rich_text_clean(cleaned + "<script>alert(1)</script>") == "<p>Tomme</p>"


def test_json_data_blocks_cannot_be_closed_or_commented_by_user_text():
    payload = {"name": 'Max </script><script>alert(1)</script> <!-- & "x"'}
    block = json_data_block(payload)

    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block) == payload  # the same text once a reader parses it


# Any text a user may type, markup-heavy: the two places that print text unescaped hold for it.
TYPED = st.text(
    alphabet=st.sampled_from(list("<>&\"'/=! -:ascriptonloadjv\u00e9\u2028")) | st.characters()
)


@given(
    st.recursive(
        TYPED, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TYPED, inner, max_size=3)
    )
)
def test_any_data_makes_a_block_with_no_markup_that_reads_back_the_same(data):
    block = json_data_block(data)
    assert not set("<>&") & set(block)
    assert json.loads(block) == data


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@given(st.lists(st.sampled_from(ATTACKS) | TYPED, max_size=4).map("".join))
def test_any_text_comes_out_of_the_sanitiser_with_only_the_allowlist(text):
    cleaned = rich_text_clean(text)
    parser = _Tags()
    parser.feed(cleaned)
    for tag, attrs in parser.found:
        assert tag in RICH_TEXT_TAGS
        assert set(attrs) <= RICH_TEXT_ATTRIBUTES.get(tag, set()) | {"rel"}
        if ":" in attrs.get("href", ""):
            assert attrs["href"].split(":")[0].lower() in RICH_TEXT_URL_SCHEMES
    assert rich_text_clean(cleaned) == cleaned
