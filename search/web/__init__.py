"""The search page: a WSGI application over the engine, its views and the server that runs it."""
