"""The error bodies Deputy's API sends, as the OpenAPI schema documents them.

Every refusal is `{"detail": "<what to do>"}`; a request that does not fit its schema gets 422 with the
same sentence plus the list of fields at fault.
"""

from typing import Any

from pydantic import BaseModel, Field


class Problem(BaseModel):
    detail: str = Field(description="What went wrong and what to do about it, for a person.")


class FieldProblem(BaseModel):
    loc: list[str] = Field(description="Where in the request: body, query or path, then the field's name.")
    msg: str
    type: str


class ValidationProblem(BaseModel):
    detail: str = Field(description="Every problem in one sentence, for a person.")
    errors: list[FieldProblem]


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem("The request was refused; `detail` says why."),
    401: _problem("No valid token: send `Authorization: Bearer TOKEN`."),
    403: _problem("Wrong Host, an Origin that is not paired, or a token from another origin."),
    404: _problem("No such thing."),
    409: _problem("The request conflicts with the current state (already answered, already ended, busy)."),
    413: _problem("The request body is too large."),
    422: {"model": ValidationProblem, "description": "The request does not fit its schema."},
    429: _problem("Too many failed attempts: locked out for a while."),
    500: _problem("Deputy hit an internal error; the server log has the details."),
}
