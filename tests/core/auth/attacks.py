"""Every forged, tampered or malformed access token the verifier must refuse, with the reason."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.core.auth.conftest import RESET_SUBJECT, REVOKED_JTI
from tests.core.auth.helpers import DROP, ISSUER, SigningKey, b64, claims, forge, header, mint, part


@dataclass(frozen=True)
class Scene:
    key: SigningKey  # trusted: in the verifier's key source
    retired: SigningKey  # trusted, but its kid is revoked
    attacker: SigningKey  # not trusted
    server: str  # a local server counting every request it gets


Build = Callable[[Scene], str]
ATTACKS: dict[str, tuple[Build, str]] = {}


def attack(name: str, reason: str) -> Callable[[Build], Build]:
    """Register a forged token and a regex its InvalidToken message must match."""

    def register(build: Build) -> Build:
        ATTACKS[name] = (build, reason)
        return build

    return register


def now() -> int:
    return int(time.time())


def segments(token: str) -> list[str]:
    return token.split(".")


def hmac_signer(secret: bytes, digest: str = "sha256") -> Callable[[bytes], bytes]:
    return lambda data: hmac.new(secret, data, getattr(hashlib, digest)).digest()


# --- alg confusion and unsigned tokens --------------------------------------------------------


def signed_with_header(**changes: Any) -> Build:
    """Our real key signs, but the header says something else."""
    return lambda s: forge(header(s.key, **changes), claims(), signer=s.key.sign)


def unsigned(alg: str) -> Build:
    return lambda s: forge(header(s.key, alg=alg), claims())


def mac_with_public_key(alg: str, form: str) -> Build:
    digest = {"HS256": "sha256", "HS512": "sha512"}[alg]
    return lambda s: forge(
        header(s.key, alg=alg), claims(), signer=hmac_signer(_public_secrets(s.key)[form], digest)
    )


for _alg in ("none", "None", "NONE", "nOnE"):
    attack(f"alg-{_alg}-empty-signature", "three non-empty")(unsigned(_alg))
for _alg in ("eddsa", "Ed25519", "ES256", "RS256"):
    attack(f"alg-{_alg}", "alg is not EdDSA")(signed_with_header(alg=_alg))
attack("alg-missing", "alg")(lambda s: forge(header(s.key, alg=DROP), claims(), signer=s.key.sign))
attack("stripped-signature", "three non-empty")(lambda s: mint(s.key).rsplit(".", 1)[0] + ".")


def _public_secrets(key: SigningKey) -> dict[str, bytes]:
    return {
        "raw": key.public.public_bytes(Encoding.Raw, PublicFormat.Raw),
        "pem": key.public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
        "jwk": json.dumps(key.jwk).encode(),
    }


for _form in ("raw", "pem", "jwk"):
    # A 32-byte MAC is not the length of an Ed25519 signature: refused before the header is read.
    attack(f"hs256-public-key-{_form}-as-secret", "not one Ed25519 signature")(
        mac_with_public_key("HS256", _form)
    )
    # HS512's 64-byte MAC is as long as an Ed25519 signature, so only the alg check stops it.
    attack(f"hs512-public-key-{_form}-as-secret", "alg is not EdDSA")(
        mac_with_public_key("HS512", _form)
    )

# --- keys offered by the token itself ---------------------------------------------------------

OTHER_PARAMETERS = "parameters other than"
attack("embedded-jwk-attacker-kid", OTHER_PARAMETERS)(
    lambda s: forge(header(s.attacker, jwk=s.attacker.jwk), claims(), signer=s.attacker.sign)
)
attack("embedded-jwk-trusted-kid", OTHER_PARAMETERS)(
    lambda s: forge(header(s.key, jwk=s.attacker.jwk), claims(), signer=s.attacker.sign)
)
attack("jku-to-local-server", OTHER_PARAMETERS)(
    lambda s: forge(
        header(s.attacker, jku=f"{s.server}/jwks.json"), claims(), signer=s.attacker.sign
    )
)
attack("x5u-to-local-server", OTHER_PARAMETERS)(
    lambda s: forge(
        header(s.attacker, x5u=f"{s.server}/cert.pem"), claims(), signer=s.attacker.sign
    )
)
attack("x5c-chain", OTHER_PARAMETERS)(
    lambda s: forge(header(s.attacker, x5c=["MIIBfake"]), claims(), signer=s.attacker.sign)
)
attack("unknown-crit", OTHER_PARAMETERS)(
    lambda s: forge(header(s.key, crit=["exp"]), claims(), signer=s.key.sign)
)
attack("b64-false", OTHER_PARAMETERS)(
    lambda s: forge(header(s.key, b64=False, crit=["b64"]), claims(), signer=s.key.sign)
)
attack("signed-by-attacker-with-trusted-kid", "Signature verification failed")(
    lambda s: forge(header(s.key), claims(), signer=s.attacker.sign)
)
attack("unknown-kid", "no key has this kid")(lambda s: mint(s.attacker))

# --- hostile kids -------------------------------------------------------------------------------

for _name, _kid in {
    "path-traversal": "../../etc/passwd",
    "sql": "' OR 1=1--",
    "shell": "$(id)",
    "empty": "",
    "newline": "k1\n",
    "65-chars": "k" * 65,
}.items():
    attack(f"kid-{_name}", "kid is missing or malformed")(signed_with_header(kid=_kid))
attack("kid-10kb", "size limit")(
    lambda s: forge(header(s.key, kid="k" * 10_240), claims(), signer=s.key.sign)
)
attack("kid-number", "kid")(lambda s: forge(header(s.key, kid=1), claims(), signer=s.key.sign))
attack("kid-missing", "kid")(lambda s: forge(header(s.key, kid=DROP), claims(), signer=s.key.sign))

# --- header shape -----------------------------------------------------------------------------

attack("typ-jwt", "typ")(lambda s: forge(header(s.key, typ="JWT"), claims(), signer=s.key.sign))
attack("typ-missing", "typ")(lambda s: forge(header(s.key, typ=DROP), claims(), signer=s.key.sign))
attack("header-json-list", "not a JSON object")(
    lambda s: forge(["EdDSA", s.key.kid], claims(), signer=s.key.sign)
)
attack("header-json-number", "not a JSON object")(lambda s: forge(7, claims(), signer=s.key.sign))
attack("header-duplicate-alg", "header is not")(
    lambda s: forge(
        b'{"alg":"none","alg":"EdDSA","kid":"k1","typ":"at+jwt"}', claims(), signer=s.key.sign
    )
)
attack("header-invalid-utf8", "header is not")(
    lambda s: forge(b'{"alg":"EdDSA","kid":"k1\xff","typ":"at+jwt"}', claims(), signer=s.key.sign)
)

# --- claims -------------------------------------------------------------------------------------


def _tampered(s: Scene) -> str:
    head, _, signature = segments(mint(s.key))
    promoted = claims(roles=["admin"], scope="admin story:read story:write")
    return f"{head}.{part(promoted)}.{signature}"


attack("tampered-payload-original-signature", "Signature verification failed")(_tampered)
attack("expired", "expired")(lambda s: mint(s.key, iat=now() - 7200, exp=now() - 3600))
attack("exp-missing", "exp")(lambda s: mint(s.key, exp=DROP))
attack("exp-string", "exp is not an integer")(lambda s: mint(s.key, exp=str(now() + 300)))
attack("exp-float", "exp is not an integer")(lambda s: mint(s.key, exp=now() + 300.5))
attack("iat-bool", "iat is not an integer")(lambda s: mint(s.key, iat=True))
attack("nbf-future", "not yet valid")(lambda s: mint(s.key, nbf=now() + 3600))
attack("iat-far-future", "not yet valid")(lambda s: mint(s.key, iat=now() + 3600, exp=now() + 7200))
attack("aud-wrong", "[Aa]udience")(lambda s: mint(s.key, aud="billing"))
attack("aud-missing", "aud")(lambda s: mint(s.key, aud=DROP))
attack("aud-list", "strict")(lambda s: mint(s.key, aud=["fountainai"]))
attack("iss-prefix", "issuer")(lambda s: mint(s.key, iss=ISSUER[:-4]))
attack("iss-superstring", "issuer")(lambda s: mint(s.key, iss=ISSUER + ".evil.example"))
attack("iss-missing", "iss")(lambda s: mint(s.key, iss=DROP))
attack("sub-missing", "sub")(lambda s: mint(s.key, sub=DROP))
attack("sub-empty", "sub")(lambda s: mint(s.key, sub=""))
attack("sub-too-long", "sub")(lambda s: mint(s.key, sub="u" * 129))
attack("jti-number", "JWT ID must be a string")(lambda s: mint(s.key, jti=12345))
attack("roles-unknown", "roles")(lambda s: mint(s.key, roles=["superuser"]))
attack("roles-string", "roles")(lambda s: mint(s.key, roles="admin"))
attack("roles-missing", "roles")(lambda s: mint(s.key, roles=DROP))
attack("scope-list", "scope")(lambda s: mint(s.key, scope=["story:read"]))
attack("amr-string", "amr")(lambda s: mint(s.key, amr="pwd"))
attack("payload-json-list", "json object")(
    lambda s: forge(header(s.key), [claims()], signer=s.key.sign)
)
attack("payload-json-number", "json object")(lambda s: forge(header(s.key), 42, signer=s.key.sign))
attack("payload-invalid-utf8", "Invalid payload string")(
    lambda s: forge(header(s.key), b'{"sub":"\xff"}', signer=s.key.sign)
)

# --- framing --------------------------------------------------------------------------------------

attack("opaque-refresh-token", "three non-empty")(lambda s: "frt_" + b64(os.urandom(32)))
attack("two-segments", "three non-empty")(lambda s: mint(s.key).rsplit(".", 1)[0])
attack("four-segments", "three non-empty")(lambda s: mint(s.key) + ".AAAA")
attack("base64-standard-alphabet-header", "base64url")(lambda s: "+/" + mint(s.key)[2:])
attack("base64-padding", "header is not")(
    lambda s: segments(mint(s.key))[0] + "=." + ".".join(segments(mint(s.key))[1:])
)
attack("payload-bad-base64url", "payload segment")(
    lambda s: ".".join([segments(mint(s.key))[0], "e30!", segments(mint(s.key))[2]])
)
attack("one-megabyte", "size limit")(lambda s: "%%%." + "A" * 1_048_576 + ".sig")

# --- revoked ------------------------------------------------------------------------------------

attack("revoked-kid", "revoked")(lambda s: mint(s.retired))
attack("revoked-jti", "revoked")(lambda s: mint(s.key, jti=REVOKED_JTI))
attack("issued-before-subject-not-before", "revoked")(
    lambda s: mint(s.key, sub=RESET_SUBJECT, iat=now() - 60)
)
