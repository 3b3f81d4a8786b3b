"""A local web page for the finance office: fill → check → fix → preview → publish.

Everything stays on the office PC: uploads go into a private job directory under --data, the
server binds to loopback unless a --token guards it, and nothing is sent anywhere.
"""
