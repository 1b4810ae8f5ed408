import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")
application = get_wsgi_application()

# Registrations at checkpoint doors skip the framework around them when nothing is unusual
# (lianqi/checkpoints/fastpath.py); every other request, and every unusual registration, goes
# through Django as usual.
from lianqi.checkpoints import fastpath  # noqa: E402 - needs the apps loaded above

application = fastpath.wrap(application)
