"""Fixture: exits with status 3 before the handshake, saying why on standard error."""
import sys

print("exits_at_once: this node exits before reading anything", file=sys.stderr)
sys.exit(3)
