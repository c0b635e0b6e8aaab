"""Request handlers, one module per endpoint family, plus the validation of submitted bodies;
internal to the fake server.
"""
