"""SMS backends. The default logs messages; a real provider plugs in by setting
``SMS_BACKEND`` to a dotted path of a class with ``send(phone, text)``."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("lianqi.sms")


class LoggingSMSBackend:
    """Writes each message to the log (phone number masked)."""

    sent: list = []  # the last messages, for the demo and tests

    def send(self, phone: str, text: str) -> None:
        masked = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
        logger.info("SMS to %s: %s", masked, text)
        LoggingSMSBackend.sent.append((masked, text))
        del LoggingSMSBackend.sent[:-100]


def get_backend():
    return import_string(settings.SMS_BACKEND)()
