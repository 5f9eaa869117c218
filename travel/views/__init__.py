"""Travel support pages: the participant's (private link) and the organisers'."""
