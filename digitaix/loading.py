"""Oscar's class loader, taught where our overrides of Oscar's dashboard classes live.

Oscar finds overrides of `dashboard.*` classes only in a fork of the whole dashboard app. We
keep each override beside the app that owns it instead (the merchant's order screens in
`orders/`, their home page in `shops/`), mapped in settings.DIGITAIX_CLASS_OVERRIDES, and hand
everything else to Oscar's own loader. Set as OSCAR_DYNAMIC_CLASS_LOADER (Oscar's hook).

An override module must import Oscar's original classes directly (`from oscar.apps.dashboard
.orders import views`), never through `get_class` on the label it overrides (that would loop).
"""

import importlib

from django.conf import settings
from oscar.core.loading import default_class_loader


def class_loader(module_label: str, classnames: list, module_prefix: str) -> list:
    classes = default_class_loader(module_label, classnames, module_prefix)
    local_label = settings.DIGITAIX_CLASS_OVERRIDES.get(module_label)
    if local_label is None:
        return classes
    local_module = importlib.import_module(local_label)
    return [getattr(local_module, name, cls) for name, cls in zip(classnames, classes, strict=True)]
