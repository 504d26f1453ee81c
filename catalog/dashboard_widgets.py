"""Oscar's product picker (product recommendations), safe to show again after a bad post.

Oscar's remote select looks up the posted value as a product id to show the selected option:
a value that is not a number made the product page a 500 instead of a form error. Values
that cannot be an id are dropped before the lookup; the field itself still says it is wrong.
"""

from oscar.apps.dashboard.catalogue import widgets as oscar_widgets


class ProductSelect(oscar_widgets.ProductSelect):
    def optgroups(self, name, value, attrs=None):
        ids = [v for v in value if str(v).isdigit()]
        return super().optgroups(name, ids, attrs=attrs)
