"""Stage 5 of the night, publish: `core`, the lists, the flag history and the marts written
in one transaction (night), the per-department CSV and XLSX exports (export, workbook),
and the swap that makes a night's warehouse and exports the published ones (publication)."""
