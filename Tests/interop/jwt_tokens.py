"""HS256 tokens with any claims (odd types, huge values), signed with a given secret: what a
client holding a valid secret, or forging one, could send."""
import base64
import hashlib
import hmac
import json
import time


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forged(claims, secret, expires_in=3600):
    """A token of `claims` (an `exp` is added unless given), signed with `secret`."""
    claims = dict(claims)
    claims.setdefault("exp", int(time.time()) + expires_in)
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = _b64(hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"
