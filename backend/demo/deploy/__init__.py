"""Demo Deploy: a local deploy dashboard whose deployments progress with the demo's clock."""
