"""Invitations to join a shop's team: an owner invites an address, its owner accepts.

Nothing is granted before the invitee accepts, from the link e-mailed to the invited
address and before the invitation expires (DIGITAIX_TEAM_INVITATION_DAYS). Someone with no
account, or an account with no password yet (invited before), chooses their password on the
invitation's page itself; an owner may send a fresh link at any time, which kills the old one.
Only a hash of the link's token is stored.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User
from messaging.emails import absolute_url
from shops.services.team import dashboard_access, owner_required
from shops.team_selectors import invitation_token_hash

Partner = get_model("partner", "Partner")
TeamMembership = get_model("partner", "TeamMembership")
TeamInvitation = get_model("partner", "TeamInvitation")
Status = TeamInvitation.Status


def account_for(email: str) -> User | None:
    """The account an address opens (the oldest, as the login does), or None."""
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


@transaction.atomic
def team_invitation_create(*, shop: Partner, email: str, by: User) -> TeamInvitation:
    """Invite `email` to `shop`'s team (owners only); e-mailed once the transaction commits.

    Inviting an address already invited sends it a fresh link (the old one dies) with a new
    expiry; so does inviting a member who never chose a password (Django's reset form skips
    such accounts). Refused in French for a member already there or a deactivated account.
    """
    from shops.onboarding import email_normalize

    shop = Partner.objects.select_for_update().get(pk=shop.pk)
    owner_required(shop=shop, by=by)
    email = email_normalize(email)
    user = account_for(email)
    if user is not None and not user.is_active:
        raise ValidationError(
            _("Le compte %(email)s est désactivé : il ne peut pas rejoindre l'équipe.")
            % {"email": user.email},
            code="member_inactive",
        )
    member = TeamMembership.objects.filter(partner=shop, user=user).exists() if user else False
    if member and user.has_usable_password():
        raise ValidationError(
            _("%(email)s fait déjà partie de l'équipe de « %(shop)s ».")
            % {"email": user.email, "shop": shop.name},
            code="member_exists",
        )
    invitation = (
        TeamInvitation.objects.select_for_update()
        .filter(shop=shop, email__iexact=email, status=Status.PENDING)
        .first()
    ) or TeamInvitation(shop=shop, email=email)
    return _issue(invitation, by=by)


@transaction.atomic
def team_invitation_renew(*, invitation: TeamInvitation, by: User) -> TeamInvitation:
    """Send a pending invitation again with a fresh link and expiry (owners only)."""
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    owner_required(shop=invitation.shop, by=by)
    _pending_required(invitation, allow_expired=True)
    return _issue(invitation, by=by)


def _issue(invitation: TeamInvitation, *, by) -> TeamInvitation:
    """A fresh expiry and an e-mail written in the outbox. The link's token is made when the
    e-mail leaves (shops.messages), so it is never stored in clear, not even in the outbox;
    until then the stored hash matches no link, and an older link dies at once."""
    from shops.messages import team_invitation_message_add

    now = timezone.now()
    invitation.token_hash = invitation_token_hash(secrets.token_urlsafe(32))
    invitation.invited_by, invitation.created_at = by, now
    invitation.expires_at = now + datetime.timedelta(days=settings.DIGITAIX_TEAM_INVITATION_DAYS)
    invitation.save()
    team_invitation_message_add(invitation=invitation)
    return invitation


def team_invitation_link_issue(*, invitation: TeamInvitation) -> str:
    """A new link for a pending invitation (the previous one dies); called as the e-mail
    leaves, inside the outbox's send transaction, so a failed send keeps no token."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = invitation_token_hash(token)
    invitation.save(update_fields=["token_hash"])
    return absolute_url(reverse("team-invitation", kwargs={"token": token}))


def _pending_required(invitation: TeamInvitation, *, allow_expired: bool = False) -> None:
    if invitation.status != Status.PENDING:
        raise ValidationError(
            _("Cette invitation n'est plus valable (%(status)s).")
            % {"status": invitation.get_status_display().lower()},
            code="invitation_answered",
        )
    if invitation.is_expired and not allow_expired:
        raise ValidationError(
            _(
                "Cette invitation a expiré le %(date)s : demandez à l'équipe de "
                "« %(shop)s » de vous en envoyer une nouvelle."
            )
            % {
                "date": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y"),
                "shop": invitation.shop.name,
            },
            code="invitation_expired",
        )


@transaction.atomic
def team_invitation_accept(*, invitation: TeamInvitation, user: User) -> TeamMembership:
    """`user` (the invited address's account) joins the team as a member, with the dashboard."""
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    _pending_required(invitation)
    if not user.is_active or (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(
            _("Cette invitation est adressée à %(email)s : connectez-vous avec ce compte.")
            % {"email": invitation.email},
            code="invitation_other_account",
        )
    membership, _created = TeamMembership.objects.get_or_create(
        partner_id=invitation.shop_id, user=user, defaults={"role": TeamMembership.Role.MEMBER}
    )
    user.user_permissions.add(dashboard_access())
    invitation.status, invitation.user = Status.ACCEPTED, user
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "user", "answered_at"])
    return membership


@transaction.atomic
def team_invitation_accept_with_password(*, invitation: TeamInvitation, password: str) -> User:
    """Accept for an address with no account, or an account with no password yet.

    The link reached the invited address, so choosing the password here is as safe as
    Django's reset link. Returns the account; refused when it already has a password (it
    signs in instead) or the password is too weak (nothing changes).
    """
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    _pending_required(invitation)
    user = account_for(invitation.email)
    if user is not None and user.has_usable_password():
        raise ValidationError(
            _("Un compte existe avec cette adresse : connectez-vous pour accepter."),
            code="invitation_sign_in",
        )
    if user is None:
        user = get_user_model()(username=get_random_string(30), email=invitation.email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    team_invitation_accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def team_invitation_close(*, invitation: TeamInvitation, by: User | None = None) -> TeamInvitation:
    """Decline (the invitee, `by` None) or cancel (an owner) a pending invitation."""
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if by is not None:
        owner_required(shop=invitation.shop, by=by)
    _pending_required(invitation, allow_expired=by is not None)
    invitation.status = Status.DECLINED if by is None else Status.CANCELLED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    return invitation
