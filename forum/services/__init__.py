"""Forum services: the operations views call. Each takes plain arguments and owns its commit."""
