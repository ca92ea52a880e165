"""The traveller profile: read masked, replaced whole. Identifying values never leave the server in clear;
a masked value sent back unchanged keeps what is stored."""

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from backend.api.deps import AuthDep, ContextDep
from backend.traveller.profile import IDENTIFYING, Person, Profile, explain, masked_profile
from backend.traveller.vault import ProfileUnreadable, Vault

router = APIRouter(tags=["profile"])

MASK = "•"


def _vault(ctx: ContextDep) -> Vault:
    return Vault(ctx.settings.data_dir, today=lambda: ctx.clock.now().date())


def _load(vault: Vault) -> Profile:
    try:
        return vault.load()
    except ProfileUnreadable as error:
        raise HTTPException(409, str(error)) from None


def _unmasked(sent: Any, stored: Person | None) -> Any:
    """A person as sent, with each masked identifying value put back to what is stored."""
    if not isinstance(sent, dict) or stored is None:
        return sent
    kept = stored.model_dump(mode="json")
    merged = dict(sent)
    for key in IDENTIFYING:
        value = merged.get(key)
        if isinstance(value, str) and MASK in value:
            merged[key] = kept.get(key)
        elif isinstance(value, dict):
            old = kept.get(key) or {}
            merged[key] = {a: old.get(a) if isinstance(n, str) and MASK in n else n for a, n in value.items()}
    return merged


@router.get("/api/profile")
def show_profile(_: AuthDep, ctx: ContextDep) -> dict[str, Any]:
    return masked_profile(_load(_vault(ctx)))


@router.put("/api/profile", response_model=None)
def replace_profile(body: dict[str, Any], _: AuthDep, ctx: ContextDep) -> dict[str, Any] | JSONResponse:
    vault = _vault(ctx)
    stored = _load(vault)
    companions = body.get("companions") or []
    if not isinstance(companions, list):
        companions = [companions]
    sent = {
        **body,
        "traveller": _unmasked(body.get("traveller"), stored.traveller),
        "companions": [
            _unmasked(c, stored.companions[i] if i < len(stored.companions) else None) for i, c in enumerate(companions)
        ],
    }
    try:
        profile = Profile.model_validate(sent, context={"today": ctx.clock.now().date()})
    except ValidationError as error:
        problems = explain(error)
        errors = [
            {"loc": ["body", *map(str, e["loc"])], "msg": p, "type": e["type"]}
            for e, p in zip(error.errors(), problems, strict=True)
        ]
        detail = "The profile was not saved: " + "; ".join(problems) + "."
        return JSONResponse({"detail": detail, "errors": errors}, 422)
    vault.save(profile)
    return masked_profile(profile)
