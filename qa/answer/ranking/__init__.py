"""Ranking an article's sentences for a question, and checking the best can answer it."""
