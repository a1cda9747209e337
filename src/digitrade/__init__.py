"""digitrade: the digital service trade platform."""

__version__ = "0.1.0"
