"""kkctl's Jinja2 templates (init/, report/), shipped in the wheel as ``kkctl.templates``."""
