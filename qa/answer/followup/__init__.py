"""Reading a follow-up: completing it from the conversation so that it stands alone."""
