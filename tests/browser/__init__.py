"""Helpers of tests/test_report_browser.py: the report as GitHub shows it, measured in Chromium."""
