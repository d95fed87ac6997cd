"""Putting renderings in place: atomic releases, fingerprints of what a build was made of, caches."""
