"""`{% shared_fragment "name" var1 var2 … %}…{% endshared_fragment %}`: a piece of a page that
is the same for every visitor, rendered once per set of values and kept.

Like Django's `{% cache %}`, but keyed by the values themselves (their repr) and the
language, kept DIGITAIX_CARD_CACHE_SECONDS, and a cache that cannot be reached (Redis down)
only means rendering it again (catalog.cache). What the fragment shows must all be in the
values: a list's facets vary on the facets and the page's own address.
"""

import hashlib

from django import template
from django.conf import settings
from django.utils.translation import get_language

from catalog.cache import PERSONAL_MARK, cache_get_many, cache_key, cache_set_many

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values
        # The fragment's own text: a new version of the template makes new keys.
        nodes = nodelist.get_nodes_by_type(template.Node)
        tokens = (getattr(node, "token", None) for node in nodes)
        source = "\n".join(token.contents for token in tokens if token is not None)
        self.digest = hashlib.sha256(source.encode()).hexdigest()[:16]

    def render(self, context) -> str:
        seconds = settings.DIGITAIX_CARD_CACHE_SECONDS
        if seconds <= 0:
            return self.nodelist.render(context)
        values = tuple(repr(value.resolve(context)) for value in self.values)
        key = cache_key(f"shared:{self.name}", (get_language(), self.digest, *values))
        html = cache_get_many([key]).get(key)
        if html is None:
            html = self.nodelist.render(context)
            if PERSONAL_MARK not in html:  # a visitor's part (catalog.pagecache): not kept
                cache_set_many({key: html}, seconds)
        return html


@register.tag
def shared_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("shared_fragment needs a quoted name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return SharedFragmentNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])
