"""The published schema documents the error bodies Deputy really sends."""

from backend.api.problems import Problem, ValidationProblem
from tests import web
from tests.live import Deputy


def response_schema(spec: dict, path: str, method: str, status: str) -> str:
    return spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]


def test_422_and_other_refusals_match_the_schema(deputy: Deputy) -> None:
    spec = web.get(f"{deputy.url}/openapi.json").json()
    assert response_schema(spec, "/api/rules", "post", "422").endswith("/ValidationProblem")
    assert spec["components"]["schemas"]["ValidationProblem"]["properties"]["detail"]["type"] == "string"
    assert "HTTPValidationError" not in str(spec)

    invalid = deputy.post("/api/rules", {"kind": "budget_day", "value": "5"}, token=deputy.local_token)
    assert invalid.status_code == 422
    ValidationProblem.model_validate(invalid.json())

    assert response_schema(spec, "/api/approvals/{approval_id}", "get", "404").endswith("/Problem")
    missing = deputy.get("/api/approvals/ap_nope", token=deputy.local_token)
    assert missing.status_code == 404
    Problem.model_validate(missing.json())
    unauthorized = deputy.get("/api/state")
    assert unauthorized.status_code == 401 and "401" in spec["paths"]["/api/state"]["get"]["responses"]
    Problem.model_validate(unauthorized.json())
