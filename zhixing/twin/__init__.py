"""数字孪生 — the simulated city played through the real services (``driver.simulate``).

The plan of the year is pure (``zhixing.simulation.city``); this package is its Django side: it moves
the clock to each simulated day and acts as the city's litigants, clerks, judges, presidents,
debtors and banks — through the services and the agency protocol only, never writing a table.
"""
