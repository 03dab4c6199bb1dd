"""SCRAM-SHA-256 password verifiers, made on the client.

``CREATE ROLE ... PASSWORD 'secret'`` would send the password itself to the
server, where ``log_statement`` may write it to the server's log. A verifier
(what ``psql``'s ``\\password`` sends) lets the server check the password
without ever holding it.
"""

import base64
import hashlib
import hmac
import os

ITERATIONS = 4096


def scram_verifier(password: str, salt: bytes | None = None) -> str:
    """``SCRAM-SHA-256$4096:salt$StoredKey:ServerKey`` for ``password`` (RFC 5802/7677)."""
    salt = salt or os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
