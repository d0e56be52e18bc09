"""The outbox's send lease (website.mail.deliver): the e-mail is claimed, then sent with no
lock held; a worker that dies mid-send leaves it to be taken over when the lease ends."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('website', '0008_personal_data_roles'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxemail',
            name='claimed_until',
            field=models.DateTimeField(blank=True, null=True, verbose_name='being sent until'),
        ),
    ]
