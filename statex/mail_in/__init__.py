"""Replies by email: Reply-To addresses that name a request (addresses), reading a mail (reading),
landing it in the thread (receive), and the SMTP listener and mailbox poller of `statex mail-in`."""
