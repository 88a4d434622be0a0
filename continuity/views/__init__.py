"""What the commands show in the terminal: plain-text tables, colour and JSON."""
