"""Reading a question: checking it, its names and words, its spelling, what it asks for."""
