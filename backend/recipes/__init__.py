"""Recipes: a finished task's steps, replayed through the executor with no model call, healed one step at a time."""
