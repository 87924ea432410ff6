"""Visit difficulty notes ("家人重病") are encrypted at rest, like talk summaries and visit
findings; the notes written before are encrypted in place."""

from django.db import connection, migrations

import zugong.core.fields
from zugong.core.crypto import CryptoError, provider


def _is_ciphertext(value: str) -> bool:
    try:
        provider().decrypt(value)
    except (CryptoError, ValueError):
        return False
    return True


def encrypt_difficulty_notes(apps, schema_editor):
    """Raw SQL, so the field's own decryption never sees a plaintext value; a value that is
    already ciphertext is left alone (running it twice changes nothing)."""
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        cursor.execute("SELECT id, difficulty_note FROM talks_visitflags "
                       "WHERE difficulty_note <> ''")
        for pk, value in cursor.fetchall():
            if value and not _is_ciphertext(value):
                cursor.execute("UPDATE talks_visitflags SET difficulty_note = %s WHERE id = %s",
                               [provider().encrypt(value), pk])


def decrypt_difficulty_notes(apps, schema_editor):
    # Back to a 200-character plaintext column: decrypt, so that nothing is lost.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, difficulty_note FROM talks_visitflags "
                       "WHERE difficulty_note <> ''")
        for pk, value in cursor.fetchall():
            if value and _is_ciphertext(value):
                cursor.execute("UPDATE talks_visitflags SET difficulty_note = %s WHERE id = %s",
                               [provider().decrypt(value)[:200], pk])


class Migration(migrations.Migration):

    dependencies = [
        ('talks', '0002_talk_rules'),
    ]

    operations = [
        migrations.AlterField(
            model_name='visitflags',
            name='difficulty_note',
            field=zugong.core.fields.EncryptedTextField(blank=True, verbose_name='difficulty'),
        ),
        # Undone before the column is narrowed again.
        migrations.RunPython(encrypt_difficulty_notes, decrypt_difficulty_notes),
    ]
