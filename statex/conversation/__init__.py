"""The thread on a request: messages and notes (thread), who handles it (assignment), when it is due (service_level)."""
