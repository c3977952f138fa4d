"""The units' workspace: a Django application where agents work their lists.

It reads the published warehouse (read-only, after each night's swap) and writes agents'
decisions into its own operational database (docs/contracts.md §2). Importing this package does
not import Django: `workspace.config.configure` does, once per process."""
