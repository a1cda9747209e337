"""The EN 16931 semantic model: business terms (BT-n) and groups (BG-n), independent of syntax."""
