"""Before mkdocs-macros renders a page, wrap its code and math that contain Jinja delimiters in
`{% raw %}` (kb.jinja_guard.protect), so that `{{`, `{#` in LaTeX or code reach the page verbatim.
Stray Jinja outside code and math is refused earlier, with file:line, by the content check."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from kb.jinja_guard import protect


@event_priority(90)  # before mkdocs-macros (priority 0), after hooks/questions.py (100)
def on_page_markdown(markdown: str, **_: object) -> str:
    return protect(markdown)
