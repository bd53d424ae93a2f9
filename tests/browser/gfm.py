"""The report's Markdown as GitHub shows it: cmark-gfm's HTML, and each Mermaid block as the
``<pre class="mermaid">`` that Mermaid renders in place."""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

# GitHub's extensions; tasklist is left out because the report has no task lists.
EXTENSIONS = ["table", "strikethrough", "autolink", "tagfilter"]
# UNSAFE keeps raw HTML (<a id>, <details>, <img>) as GitHub's sanitiser would, tagfilter still
# neutralises <script>; GITHUB_PRE_LANG writes ```mermaid as <pre lang="mermaid">.
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG
_MERMAID_PRE = re.compile(r'<pre lang="mermaid"><code>(.*?)</code></pre>', re.DOTALL)

# GitHub's Markdown column: about 830 px wide beside a repository's sidebar, its font stack and
# size. Wide diagrams shrink to it (Mermaid's useMaxWidth), as they do on GitHub.
_STYLE = """
body { margin: 0; background: #ffffff; color: #1f2328; }
.markdown-body { box-sizing: border-box; max-width: 830px; margin: 0 auto; padding: 32px;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial,
  sans-serif; font-size: 16px; line-height: 1.5; word-wrap: break-word; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto;
  border-collapse: collapse; }
.markdown-body td, .markdown-body th { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body img { max-width: 100%; }
pre.mermaid { background: #ffffff; margin: 16px 0; }
"""


def markdown_html(markdown: str) -> str:
    """The HTML body GitHub makes of ``markdown``, Mermaid blocks ready for Mermaid."""
    html = cmarkgfm.markdown_to_html_with_extensions(markdown, options=OPTIONS,
                                                     extensions=EXTENSIONS)
    # The block's text stays HTML-escaped: Mermaid reads the element's textContent.
    return _MERMAID_PRE.sub(r'<pre class="mermaid">\1</pre>', html)


def page(markdown: str, mermaid_js: Path) -> str:
    """A whole page: the report, the style, and Mermaid loaded but not yet run."""
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>report</title>"
            f"<style>{_STYLE}</style><script src=\"{mermaid_js.as_uri()}\"></script>"
            f"</head><body><article class=\"markdown-body\">{markdown_html(markdown)}"
            "</article></body></html>\n")
