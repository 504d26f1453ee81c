"""A shop's team: who works for it and with which role, and the invitations to join it.

Imported by shops/models.py (Oscar's fork pattern keeps every model of the app there).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TeamMembership(models.Model):
    """One account working for one shop: Oscar's `Partner.users` link, with a role.

    It is the very table Oscar's many-to-many always used (`partner_partner_users`), so
    `shop.users` and Oscar's own views keep working; a link made without a role (Oscar's
    dashboard, `shop.users.add`) is a plain member. Only owners manage the team.
    """

    class Role(models.TextChoices):
        OWNER = "owner", _("Propriétaire")
        MEMBER = "member", _("Membre")

    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_memberships"
    )
    role = models.CharField(_("Rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        app_label = "partner"
        db_table = "partner_partner_users"
        unique_together = ("partner", "user")  # as Django made it for the implicit table
        verbose_name = _("Membre de l'équipe")
        verbose_name_plural = _("Membres de l'équipe")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["owner", "member"]), name="teammembership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id} · {self.user_id} · {self.role}"


class TeamInvitation(models.Model):
    """An owner's invitation for an e-mail address to join a shop's team.

    Nothing is granted before the invitee accepts it, from the link e-mailed to that address,
    before `expires_at`. Only a hash of the link's token is kept.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        CANCELLED = "cancelled", _("Annulée")

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="team_invitations"
    )
    email = models.EmailField(_("Adresse e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Le compte qui a répondu."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("État"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("Envoyée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("Expire le"))
    answered_at = models.DateTimeField(_("Réponse le"), null=True, blank=True)

    class Meta:
        app_label = "partner"
        ordering = ("-created_at", "-pk")
        verbose_name = _("Invitation dans une équipe")
        verbose_name_plural = _("Invitations dans une équipe")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "shop",
                condition=Q(status="pending"),
                name="teaminvitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "cancelled"]),
                name="teaminvitation_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.shop_id} · {self.status}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
