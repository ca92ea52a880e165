"""The one action registry: every action Deputy can take, declared once.

The agent loop reads tool definitions from it, the policy reads risks, and the API serves it to the
extension. An action's function is kept inside its spec and is run only by the executor, which asks the
policy and opens the write gate for it.
"""

import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from backend.clock import Clock

if TYPE_CHECKING:
    from backend.browser.session import BrowserSession
    from backend.browser.tab import Tab


class Risk(StrEnum):
    READ = "read"  # look, scroll, navigate by link, extract
    LOCAL = "local"  # type into a field: nothing sent yet
    WRITE = "write"  # a click or submit that may change something
    IRREVERSIBLE = "irreversible"  # send, delete, pay, purchase, deploy, check in, unsubscribe, share

    @property
    def rank(self) -> int:
        return list(Risk).index(self)

    def at_least(self, other: "Risk") -> "Risk":
        return self if self.rank >= other.rank else other


class ActionParams(BaseModel):
    """Base of every parameter model: unknown fields are refused, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class ActionContext:
    """What an action may use: passed explicitly by the executor, never looked up by name."""

    task_id: str
    tab: "Tab"
    browser: "BrowserSession"
    clock: Clock
    files_dir: Path


@dataclass
class ActionResult:
    ok: bool
    summary: str  # one line for the model and the audit log
    data: dict[str, Any] = field(default_factory=dict)
    finished: bool = False  # the task is done
    question: str | None = None  # the task waits for the user's answer


ActionFn = Callable[[Any, ActionContext], Awaitable[ActionResult]]


class UnknownAction(LookupError):
    pass


class ActionInputError(ValueError):
    """Parameters that do not fit the action's model; the message is readable by a person and the model."""


class _Sealed:
    """Holds an action's function where only the executor's permit opens it."""

    def __init__(self, fn: ActionFn) -> None:
        self.__fn = fn

    def open(self, permit: object, expected: object) -> ActionFn:
        if permit is not expected or expected is None:
            raise PermissionError("Actions run only through the executor, which asks the policy first.")
        return self.__fn


@dataclass(frozen=True)
class ActionSpec:
    name: str
    description: str
    risk: Risk
    params: type[ActionParams]
    _sealed: _Sealed = field(repr=False, compare=False)
    internal: bool = False  # used by Deputy itself (undo), never offered to the model
    # False for actions that only read the page or talk to the person: nothing they do can start a request or
    # change the page, so the executor does not wait for the page to settle after them.
    touches_page: bool = True

    @property
    def targets_element(self) -> bool:
        return "ref" in self.params.model_fields

    def validate(self, raw: dict[str, Any]) -> ActionParams:
        try:
            return self.params.model_validate(raw)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'parameters'}: {e['msg']}" for e in error.errors()
            )
            raise ActionInputError(f"Bad parameters for {self.name}: {problems}") from None

    def input_schema(self) -> dict[str, Any]:
        schema = self.params.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return schema

    def tool_definition(self) -> dict[str, Any]:
        """The Anthropic tool definition: kept small, since it is sent (and cached) with every call."""
        return {"name": self.name, "description": self.description, "input_schema": self.input_schema()}

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "risk": self.risk.value,
            "parameters": self.input_schema(),
            "internal": self.internal,
        }


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, ActionSpec] = {}
        self._permit: object | None = None

    def action(
        self, description: str, risk: Risk, internal: bool = False, touches_page: bool = True
    ) -> Callable[[ActionFn], ActionSpec]:
        """Declare an action; the decorated name becomes its spec, so the bare function is not reachable."""

        def declare(fn: ActionFn) -> ActionSpec:
            params = next(iter(inspect.signature(fn).parameters.values())).annotation
            if isinstance(params, str):
                params = fn.__globals__[params]
            if not (isinstance(params, type) and issubclass(params, ActionParams)):
                raise TypeError(f"{fn.__name__}: the first parameter must be annotated with an ActionParams model")
            if fn.__name__ in self._specs:
                raise ValueError(f"action {fn.__name__!r} is declared twice")
            spec = ActionSpec(fn.__name__, description.strip(), risk, params, _Sealed(fn), internal, touches_page)
            self._specs[spec.name] = spec
            return spec

        return declare

    def get(self, name: str) -> ActionSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownAction(f"There is no action called {name!r}.") from None

    def __iter__(self) -> Iterator[ActionSpec]:
        return iter(self._specs.values())

    def for_model(self) -> list[ActionSpec]:
        return [spec for spec in self._specs.values() if not spec.internal]

    def __len__(self) -> int:
        return len(self._specs)

    def issue_permit(self) -> object:
        """Called once, by the executor: the only holder of the permit can run actions."""
        if self._permit is not None:
            raise PermissionError("The executor's permit was already issued.")
        self._permit = object()
        return self._permit

    def function(self, spec: ActionSpec, permit: object) -> ActionFn:
        return spec._sealed.open(permit, self._permit)


registry = Registry()
