"""`deputy recipes`: recorded recipes and their versions; show, remove, and run one at zero tokens."""

from typing import Annotated, Any

import typer

from backend.cli.app import DataDirOption, PortOption, app, call, console, fail, load_settings
from backend.cli.app import server_client as running_server

recipes_app = typer.Typer(help="Recorded recipes: tasks Deputy replays with no model call.", no_args_is_help=False)
app.add_typer(recipes_app, name="recipes")


def _line(recipe: dict[str, Any]) -> str:
    learned = f", learned for ${recipe['learned_micro_usd'] / 1e6:.4f}" if recipe["learned_calls"] else ""
    state = {
        "active": "",
        "candidate": " [yellow](candidate: learned from a run nobody watched; replays once you approve it)[/]",
    }.get(recipe["status"], f" [yellow]({recipe['status']})[/]")
    return (
        f"{recipe['name']}{state}: {recipe['instruction']!r} on {recipe['site']}; "
        f"{recipe['steps']} steps, version {recipe['version']}{learned}"
    )


@recipes_app.callback(invoke_without_command=True)
def list_recipes(ctx: typer.Context, port: PortOption = None, data_dir: DataDirOption = None) -> None:
    """List the recipes (when no command is given)."""
    if ctx.invoked_subcommand is not None:
        return
    listed = call(running_server(load_settings(port, data_dir)), "GET", "/api/recipes")
    if not listed:
        console.print("No recipes yet: a task the model finishes becomes one.")
    for recipe in listed:
        console.print(_line(recipe))


@recipes_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="The recipe's name or id.")],
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """A recipe's steps, version by version (newest first)."""
    recipe = call(running_server(load_settings(port, data_dir)), "GET", f"/api/recipes/{name}")
    console.print(_line({**recipe, "steps": len(recipe["versions"][0]["steps"]) if recipe["versions"] else 0}))
    for version in recipe["versions"]:
        console.print(f"[bold]Version {version['version']}[/] ({version['why']}):")
        for number, step in enumerate(version["steps"], 1):
            target = step.get("target")
            on = f" on {target['role']} {target['name']!r}" if target else ""
            params = {k: v for k, v in step["params"].items() if k != "ref"}
            current = version["version"] == recipe["version"]
            granted = " (granted: runs without asking)" if current and number in recipe["granted_steps"] else ""
            console.print(f"  {number}. {step['action']}{on} {params if params else ''}".rstrip() + granted)


@recipes_app.command("rm")
def remove(
    name: Annotated[str, typer.Argument(help="The recipe's name or id.")],
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Delete a recipe and all its versions."""
    gone = call(running_server(load_settings(port, data_dir)), "DELETE", f"/api/recipes/{name}")
    console.print(f"Deleted recipe {gone['name']}.")


@recipes_app.command("grant")
def grant(
    name: Annotated[str, typer.Argument(help="The recipe's name or id.")],
    step: Annotated[int, typer.Argument(help="The step's number, as `deputy recipes show` lists it.")],
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Let one step of one recipe run without asking (never a payment; `deputy recipes revoke` undoes it)."""
    recipe = call(running_server(load_settings(port, data_dir)), "POST", f"/api/recipes/{name}/steps/{step}/grant")
    console.print(f"Step {step} of {recipe['name']} now runs without asking, on {recipe['site']} only.")


@recipes_app.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help="The recipe's name or id.")],
    step: Annotated[int, typer.Argument(help="The step's number.")],
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Make a granted step ask again."""
    recipe = call(running_server(load_settings(port, data_dir)), "DELETE", f"/api/recipes/{name}/steps/{step}/grant")
    console.print(f"Step {step} of {recipe['name']} asks again.")


@recipes_app.command("run")
def run(
    name: Annotated[str, typer.Argument(help="The recipe's name or id.")],
    var: Annotated[list[str] | None, typer.Option("--var", help="A variable's value, as NAME=VALUE.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Start on this page instead of the recipe's.")] = None,
    port: PortOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Replay a recipe now, with no model call: live steps, approvals answered inline."""
    from backend.cli.work import follow

    values = {}
    for given in var or []:
        key, sep, value = given.partition("=")
        if not sep or not key.strip():
            fail(f"--var takes NAME=VALUE, not {given!r}.")
        values[key.strip()] = value
    body: dict[str, Any] = {"variables": values}
    if url:
        body["url"] = url
    follow(load_settings(port, data_dir), f"/api/recipes/{name}/run", body)
