"""Deputy's database migrations (Alembic), found through the package so no config file or working folder is needed."""
