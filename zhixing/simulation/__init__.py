"""模拟城市 — the synthetic Shaoxing: people, firms, their assets and the agencies that hold them.

``world`` (seeded, reproducible people, firms and assets), ``catalogue`` (the simulated agencies)
and ``agency_sim`` (the agency simulator serving protocol v1 on loopback) import nothing from
Django or the apps, only :mod:`zhixing.agencies.protocol`, so the simulator starts fast.
"""
