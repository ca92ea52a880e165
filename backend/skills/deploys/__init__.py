"""Deploy dashboards: a watch that reads them at zero tokens and proposes a rollback, never doing one."""
