"""RQ jobs: plain functions of ids that open their own session and are safe to run twice."""
