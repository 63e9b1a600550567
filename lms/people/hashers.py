"""Password hashing: Argon2id with parameters chosen for sign-in throughput on small servers.

Why these numbers: docs/decisions/0012-password-hashing.md.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Argon2id, 19 MiB, two passes, one lane (the minimum OWASP recommends for Argon2id).

    About 25 ms of CPU per sign-in instead of about 240 ms for Django's PBKDF2 default, so two
    cores can sign in a whole authority at shift start; memory-hard, so guessing on GPUs gains
    less than against PBKDF2. Hashes made with other parameters are rehashed at the next sign-in.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
