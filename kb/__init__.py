"""The question bank's engine, without MkDocs: parser and registry (`registry`), content checks
(`content_check`, `jinja_guard`, `prose_lint`, `tags`, `terms`), the questions.json contract
(`contract`), formulas and plots (`formulas`, `plots`), study paths (`paths`), git dates
(`freshness`), math rendering (`katex`), search text and terms (`plain_text`, `search_terms`),
page transforms (`transforms`) and the cache kept across builds (`build_cache`).

hooks/ adapts these to MkDocs events; scripts/ runs them from the command line
(`python -m scripts --help`). See CONTRIBUTING.md, 构建地图.
"""
