from typing import TextIO  # noqa: F401
