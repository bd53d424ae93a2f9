"""kkctl's JSON Schema (kkctl.schema.json), shipped in the wheel as ``kkctl.schemas``."""
