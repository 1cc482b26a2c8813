"""hostkb: a knowledge base of lithium-metal anode hosts, built from papers."""

__version__ = "0.1.0"
