"""The web application: partner portal, Secretariat desk and donor site over the same inputs and outputs.

A shell like the CLI: it calls the library's public entry points and the Prefect flows, never a stage.
"""
