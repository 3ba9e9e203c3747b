"""Replies by email: Reply-To addresses (addresses), reading (reading), landing (receive), SMTP (smtp), IMAP (imap)."""
