"""The simulated publisher a test report runs against: what the simulator answers, hook by hook
and poll by poll, for a design (``simulator``; the Django views serve it)."""
