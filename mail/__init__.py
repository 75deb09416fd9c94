"""E-mail: a transactional outbox, its delivery worker, messages and people's mail settings."""
