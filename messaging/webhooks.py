"""django-anymail's tracking webhook feeds the outbox: a bounce marks its recipient."""

from anymail.signals import tracking


def record_tracking_event(sender, event, esp_name: str, **kwargs) -> None:
    from messaging.services import record_delivery_event

    record_delivery_event(
        message_id=event.message_id or "",
        event_type=event.event_type or "",
        reason=event.reject_reason or event.event_type or "",
    )


def connect_signals() -> None:
    tracking.connect(record_tracking_event, dispatch_uid="messaging.tracking")
