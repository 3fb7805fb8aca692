"""Audit action names: one event per run, with its counts (never one per row)."""

IMPORT_VALIDATED = "migration.validated"  # a dry run: the whole file checked, nothing written
IMPORT_REJECTED = "migration.rejected"  # a real run stopped by errors in the file: nothing written
IMPORT_COMPLETED = "migration.imported"  # a real run: everything written in one transaction
IMPORT_FAILED = "migration.failed"  # a run interrupted by an unexpected error: everything rolled back
