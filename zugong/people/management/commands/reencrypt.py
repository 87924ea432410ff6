"""zugong reencrypt: rewrite encrypted fields and blind indexes under the current key."""

from django.core.management.base import BaseCommand
from django.db import transaction

from zugong.core.audit import audit_record
from zugong.core.crypto import provider
from zugong.people.models import Person


class Command(BaseCommand):
    help = "After adding a new first key to ZUGONG_FIELD_KEYS, re-encrypt every value with it."

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for person in Person.objects.select_for_update().only(
                "pk", "id_number", "phone"
            ).iterator(chunk_size=1000):
                Person.objects.filter(pk=person.pk).update(
                    id_number=person.id_number, phone=person.phone,
                    id_number_index=(provider().blind_index(person.id_number)
                                     if person.id_number else None),
                    phone_index=provider().blind_index(person.phone) if person.phone else None,
                )
                count += 1
            audit_record(action="crypto.reencrypt", object_type="people.person",
                         after={"count": count, "key_version": provider().current_version})
        self.stdout.write(f"{count} records re-encrypted with key {provider().current_version}.")
