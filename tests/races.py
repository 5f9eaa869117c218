"""Helpers of the uniqueness race tests (threads against PostgreSQL).

`race` starts every worker at one barrier, so the race is real. `without_constraint` is the
control experiment's tool: it drops one named constraint for the duration of a block and
restores it after (rows the block wrote are deleted first, so the constraint can return).
"""

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections, models

from common.exceptions import DomainError


def race(workers: int, function: Callable[[threading.Barrier], object]) -> list:
    """Run `function(barrier)` on `workers` threads released together; a DomainError
    becomes its code."""
    barrier = threading.Barrier(workers)

    def run(_index: int):
        try:
            barrier.wait(timeout=30)
            return function(barrier)
        except DomainError as error:
            return error.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(workers)))


@contextlib.contextmanager
def without_constraint(model: type[models.Model], name: str):
    """Drop `model`'s constraint `name` inside the block; delete the model's rows and put
    the constraint back after it."""
    constraint = next(item for item in model._meta.constraints if item.name == name)
    with connection.schema_editor() as editor:
        editor.remove_constraint(model, constraint)
    try:
        yield
    finally:
        model.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(model, constraint)
