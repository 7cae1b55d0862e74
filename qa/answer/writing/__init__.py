"""Writing the answer: quotes and their citations, the short answer, the choice among
articles."""
