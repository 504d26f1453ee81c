from celery import shared_task


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_shop_moderated(event_id: int) -> bool:
    """Tell a shop's merchants about the town's decision; safe to run twice."""
    from shops.services import shop_moderation_notify

    return shop_moderation_notify(event_id=event_id)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_shop_created(shop_id: int, user_id: int) -> bool:
    """Tell a merchant their new shop awaits the town's approval; safe to run twice."""
    from shops.onboarding import shop_created_notify

    return shop_created_notify(shop_id=shop_id, user_id=user_id)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_product_moderated(event_id: int) -> bool:
    """Tell the merchants offering a product about the town's decision; safe to run twice."""
    from shops.services import product_moderation_notify

    return product_moderation_notify(event_id=event_id)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_team_invitation(invitation_id: int, token: str) -> bool:
    """E-mail an invitation to join a shop's team; safe to run twice."""
    from shops.services import team_invitation_send

    return team_invitation_send(invitation_id=invitation_id, token=token)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_identity_change_decided(change_id: int) -> bool:
    """Tell a shop's merchants the town's decision on its identity change; safe to run twice."""
    from shops.services import identity_change_decision_notify

    return identity_change_decision_notify(change_id=change_id)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def take_portal_snapshot(day: str | None = None) -> int:
    """Keep today's portal figures (or `day`'s, ISO date) for the console; safe to run twice."""
    import datetime

    from shops.services import portal_snapshot_take

    when = datetime.date.fromisoformat(day) if day else None
    return portal_snapshot_take(day=when).pk
