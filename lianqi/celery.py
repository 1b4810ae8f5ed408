"""Celery application. With no broker configured, tasks run eagerly in-process (embedded default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")

app = Celery("lianqi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _survive_a_lost_broker():
    """Keep the worker alive when Redis goes away while tasks are running.

    With ``acks_late``, kombu (5.7, Redis transport) acknowledges or restores the running tasks'
    messages through the channel of the connection that was lost: ``_connparams`` then reads an
    attribute of ``None`` and the AttributeError stops the worker for good ("Unrecoverable
    error") instead of letting it reconnect. Nothing can be acknowledged or restored on a broker
    connection that is gone: the messages stay in Redis's unacked set (delivered again after the
    visibility timeout; tasks are idempotent) or went with Redis, and what matters is re-sent
    from the database by the periodic jobs (``notifications.dispatch_pending``). So both are
    skipped then, and the worker reconnects when Redis is back."""
    import logging

    from kombu.transport import redis as transport

    if getattr(transport.QoS, "lianqi_patched", False):
        return
    logger = logging.getLogger(__name__)

    def connection_gone(qos) -> bool:
        return getattr(getattr(qos.channel, "connection", None), "client", None) is None

    original_restore, original_ack = transport.QoS.restore_unacked, transport.QoS.ack

    def restore_unacked(self, client=None):
        if client is None and connection_gone(self):
            logger.warning("broker connection lost: %d unacknowledged messages left in Redis", len(self._delivered))
            self._delivered.clear()
            return None
        return original_restore(self, client)

    def ack(self, delivery_tag):
        if connection_gone(self):
            logger.warning("broker connection lost: message %s left unacknowledged in Redis", delivery_tag)
            self._delivered.pop(delivery_tag, None)
            return None
        return original_ack(self, delivery_tag)

    transport.QoS.restore_unacked, transport.QoS.ack = restore_unacked, ack
    transport.QoS.lianqi_patched = True


_survive_a_lost_broker()
