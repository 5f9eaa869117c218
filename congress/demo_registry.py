"""The `demo` command runs steps that each app registers, in order.

`congress` cannot import the apps to its right, so each app registers its own step from its
AppConfig.ready() (registrations: 20, programme: 30, badges: 40, ...). Every step must be
idempotent: running the demo twice changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

DemoStep = Callable[[TextIO], None]


@dataclass(frozen=True)
class _Step:
    order: int
    name: str
    function: DemoStep


_steps: dict[str, _Step] = {}


def demo_step(*, order: int, name: str) -> Callable[[DemoStep], DemoStep]:
    def register(function: DemoStep) -> DemoStep:
        _steps[name] = _Step(order, name, function)
        return function

    return register


def registered_steps() -> list[_Step]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))
