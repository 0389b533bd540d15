"""Your exercises: implement each stub, then run `nox -s grade`."""
