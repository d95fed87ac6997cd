"""The programme as IATI 2.03 XML: every activity and Secretariat task, and the publisher's budget per year.

Written from catalogue.json (the published contract), not from the model: what a donor's system reads is what
every other output shows. Validated in the tests against the official schemas and codelists (pyIATI's).
"""
