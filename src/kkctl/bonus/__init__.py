"""Bonuses at period close: exact money, parts that always sum to the pool."""
