"""Cryptography behind one small provider interface (SM4, HMAC-SM3).

A certified hardware module (密码机) can replace ``SoftwareProvider`` by naming another
class in ``ZUGONG_CRYPTO_PROVIDER``; nothing else in the code touches primitives.

Keys: ``ZUGONG_FIELD_KEYS`` holds ``version:hex`` entries separated by commas. The
first entry encrypts; every entry decrypts, so keys can be rotated and values
re-encrypted with ``zugong reencrypt``. Sub-keys for encryption, the blind index and
the audit chain are derived from the master key with HMAC-SM3, so one secret is
enough and the three uses never share a key.
"""

from __future__ import annotations

import base64
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.utils.module_loading import import_string


class CryptoError(Exception):
    """A value could not be decrypted with any configured key."""


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def parse_keys(spec: str) -> list[tuple[str, bytes]]:
    keys = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        version, _, hexkey = item.partition(":")
        raw = bytes.fromhex(hexkey)
        if len(raw) != 16:
            raise ValueError(f"key {version!r} must be 16 bytes (32 hex digits) for SM4")
        keys.append((version, raw))
    if not keys:
        raise ValueError("no field-encryption key configured")
    return keys


class SoftwareProvider:
    """SM4-GCM encryption and HMAC-SM3 in software (the `cryptography` package)."""

    def __init__(self, key_spec: str):
        self._keys = parse_keys(key_spec)
        self._by_version = dict(self._keys)
        self._subkeys: dict[tuple[bytes, str], bytes] = {}

    def _subkey(self, purpose: bytes, version: str | None = None) -> bytes:
        # Derived once per key and purpose: every encrypted field of every row loaded
        # (a list page decrypts hundreds) would otherwise compute an HMAC first.
        version = version or self._keys[0][0]
        key = (purpose, version)
        if key not in self._subkeys:
            self._subkeys[key] = hmac_sm3(self._by_version[version], b"zugong:" + purpose)[:16]
        return self._subkeys[key]

    @property
    def current_version(self) -> str:
        return self._keys[0][0]

    def encrypt(self, plaintext: str) -> str:
        version = self.current_version
        nonce = os.urandom(12)
        enc = Cipher(algorithms.SM4(self._subkey(b"enc", version)), modes.GCM(nonce)).encryptor()
        body = enc.update(plaintext.encode("utf-8")) + enc.finalize()
        return f"{version}${base64.b64encode(nonce + enc.tag + body).decode('ascii')}"

    def decrypt(self, token: str) -> str:
        version, _, payload = token.partition("$")
        if version not in self._by_version:
            raise CryptoError(f"unknown key version {version!r}")
        raw = base64.b64decode(payload)
        nonce, tag, body = raw[:12], raw[12:28], raw[28:]
        dec = Cipher(
            algorithms.SM4(self._subkey(b"enc", version)), modes.GCM(nonce, tag)
        ).decryptor()
        try:
            return (dec.update(body) + dec.finalize()).decode("utf-8")
        except InvalidTag as exc:
            raise CryptoError("ciphertext failed authentication") from exc

    def key_version_of(self, token: str) -> str:
        return token.partition("$")[0]

    def blind_index(self, value: str) -> str:
        """Deterministic keyed digest used to find a record by an exact value.

        Always computed with the first (current) key; rotation rebuilds the indexes.
        """
        return hmac_sm3(self._subkey(b"index"), value.encode("utf-8")).hex()

    @property
    def versions(self) -> list[str]:
        """Every configured key version, the current (encrypting) one first."""
        return [version for version, _ in self._keys]

    def mac(self, data: bytes, version: str | None = None) -> str:
        """MAC for the audit chain (HMAC-SM3 with the audit sub-key).

        New entries are signed with the current key; ``version`` names an older key so that
        entries written before a rotation still verify with the key they were signed with.
        """
        if version and version not in self._by_version:
            raise CryptoError(f"unknown key version {version!r}")
        return hmac_sm3(self._subkey(b"audit", version), data).hex()


@cache
def provider() -> SoftwareProvider:
    cls = import_string(settings.ZUGONG_CRYPTO_PROVIDER)
    return cls(settings.ZUGONG_FIELD_KEYS)
