"""协助执行网络 — the agency registry, the protocol, the outbox and its dispatcher, the agency desk."""
