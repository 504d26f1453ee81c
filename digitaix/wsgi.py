"""The WSGI application gunicorn serves (`digitaix.wsgi:application`).

Once Django, Oscar and every app are loaded, their objects (hundreds of thousands: modules,
classes, URL patterns, translations) never die; `gc.freeze()` moves them out of the cyclic
garbage collector's sight, so its full collections during requests no longer walk them all.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitaix.settings")

application = get_wsgi_application()

gc.collect()
gc.freeze()
