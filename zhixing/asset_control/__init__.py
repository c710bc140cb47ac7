"""查控 — network inquiries, freezes, seals, seizures, deductions, renewals, waiting ranks, releases."""
