"""Messages to people: composed from templates, recorded as deliveries, sent by a transport."""
