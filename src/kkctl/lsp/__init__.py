"""``kkctl lsp``: the organisation's rules in the editor (a language server over stdio).

Only :mod:`kkctl.lsp.server` imports pygls; the other modules are plain Python over the
loaded model, testable without a client:

* :mod:`kkctl.lsp.build_cache` builds the model file by file and keeps each file's part, so
  an edit rebuilds one file;
* :mod:`kkctl.lsp.workspace` holds the files on disk and the editor's unsaved buffers and
  analyses them the way ``kkctl lint`` does;
* :mod:`kkctl.lsp.index` knows where every id is defined and referred to;
* :mod:`kkctl.lsp.features` answers definition, references, hover, completion, rename,
  document symbols and code actions.
"""
