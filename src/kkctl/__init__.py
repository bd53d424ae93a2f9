"""kkctl: a clientocracy (Клиентократия) organisation kept as code."""

__version__ = "0.1.0"
