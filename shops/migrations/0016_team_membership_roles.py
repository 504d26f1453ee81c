"""Shop teams get roles: Oscar's implicit `partner_partner_users` table becomes TeamMembership.

The table is kept as it is (state only), then gains its `role` column. Existing shops: the
account of each shop's first link (the lowest id: the one who created the shop, as sign-up
and "add a shop" link their creator first) becomes its owner; everyone else is a member.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def first_member_owns(apps, schema_editor):
    TeamMembership = apps.get_model("partner", "TeamMembership")
    firsts = (
        TeamMembership.objects.values("partner_id")
        .annotate(first=models.Min("id"))
        .values_list("first", flat=True)
    )
    TeamMembership.objects.filter(id__in=list(firsts)).update(role="owner")


class Migration(migrations.Migration):
    dependencies = [
        ("partner", "0015_portalsnapshot"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TeamMembership",
                    fields=[
                        (
                            "id",
                            models.AutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "partner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="partner.partner",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="shop_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Membre de l'équipe",
                        "verbose_name_plural": "Membres de l'équipe",
                        "db_table": "partner_partner_users",
                        "unique_together": {("partner", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="partner",
                    name="users",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="partners",
                        through="partner.TeamMembership",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Users",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="teammembership",
            name="role",
            field=models.CharField(
                choices=[("owner", "Propriétaire"), ("member", "Membre")],
                default="member",
                max_length=16,
                verbose_name="Rôle",
            ),
        ),
        migrations.AddConstraint(
            model_name="teammembership",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["owner", "member"])),
                name="teammembership_role_valid",
            ),
        ),
        migrations.RunPython(first_member_owns, migrations.RunPython.noop),
    ]
