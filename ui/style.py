"""The page's CSS (passed to ``gr.mount_gradio_app``): markers, sources, abstentions."""

CSS = """
#rag-new { align-self: center; }
.rag-answer, .rag-question, .rag-abstain, .rag-error, .rag-status { line-height: 1.55; }
.rag-cite {
  cursor: pointer; color: var(--color-accent); font-weight: 600; font-size: 0.85em;
  vertical-align: super; line-height: 0; padding: 0 1px; border-radius: 3px;
}
.rag-cite:hover, .rag-cite:focus { background: var(--color-accent-soft); outline: none; }
.rag-cite:focus-visible { outline: 2px solid var(--color-accent); }
.rag-cite-pop { display: none; }
.rag-cite:focus .rag-cite-pop, .rag-cite:focus-within .rag-cite-pop {
  display: block; margin: 0.4em 0; padding: 0.5em 0.7em; max-height: 16em; overflow-y: auto;
  font-size: 0.8rem; font-weight: normal; line-height: 1.45; vertical-align: baseline;
  color: var(--body-text-color); background: var(--background-fill-secondary);
  border-left: 3px solid var(--color-accent); border-radius: 4px; cursor: text;
}
.rag-passage mark { background: #fde68a; color: #1f2937; padding: 0 1px; border-radius: 2px; }
.rag-n { font-weight: 700; color: var(--color-accent); }
.rag-cite-weak { text-decoration: underline dotted #b45309; }
.rag-weak {
  font-size: 0.75em; color: #92400e; border: 1px solid #f59e0b; border-radius: 999px;
  padding: 0 0.45em; white-space: nowrap;
}
.rag-doc { font-weight: 600; }
.rag-score { color: var(--body-text-color-subdued); font-size: 0.85em; white-space: nowrap; }
.rag-abstain {
  border: 1px dashed #b45309; background: #fffbeb; color: #78350f;
  padding: 0.5em 0.75em; border-radius: 6px;
}
.rag-abstain-badge {
  display: inline-block; font-weight: 700; font-size: 0.8em; text-transform: uppercase;
  letter-spacing: 0.04em; background: #f59e0b; color: #451a03; padding: 0.05em 0.5em;
  border-radius: 999px; margin-right: 0.4em;
}
.rag-error { border-left: 3px solid #dc2626; padding-left: 0.6em; color: #991b1b; }
.rag-status { color: var(--body-text-color-subdued); font-style: italic; }
.rag-draft {
  display: inline-block; font-size: 0.75em; font-weight: 600; border-radius: 999px;
  padding: 0 0.5em; margin-right: 0.3em; border: 1px solid var(--border-color-primary);
  color: var(--body-text-color); background: var(--background-fill-secondary);
}
.rag-cursor { animation: rag-blink 1s steps(2) infinite; }
@keyframes rag-blink { to { visibility: hidden; } }
.rag-hint { color: var(--body-text-color-subdued); font-size: 0.85em; }
.rag-tools { display: block; margin-top: 0.35em; font-size: 0.8em; }
.rag-copy, .rag-to-sources {
  cursor: pointer; text-decoration: underline; margin-right: 0.8em; color: var(--body-text-color);
}
.rag-to-sources, .rag-copy-text { display: none; }
@media (max-width: 640px) {
  .rag-to-sources { display: inline; }
}
.rag-sources h3 { margin: 0 0 0.4em 0; }
.rag-source-list { padding-left: 0; list-style: none; margin: 0; }
.rag-source {
  margin: 0 0 0.7em 0; padding: 0.5em 0.7em; border: 1px solid var(--border-color-primary);
  border-radius: 6px; background: var(--background-fill-secondary);
}
.rag-source .rag-passage { font-size: 0.85rem; line-height: 1.45; margin-top: 0.3em; }
.rag-pending .rag-source { opacity: 0.6; }
.rag-others summary { cursor: pointer; margin: 0.3em 0; }
.rag-docs { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
.rag-docs caption { text-align: left; padding-bottom: 0.3em; }
.rag-docs th, .rag-docs td {
  border-bottom: 1px solid var(--border-color-primary); padding: 0.3em 0.5em; text-align: left;
}
.rag-num { text-align: right; }
.rag-hidden { display: none !important; }
.rag-open, .rag-close {
  cursor: pointer; text-decoration: underline; font-size: 0.85em; margin-left: 0.5em;
}
.rag-viewer {
  margin-top: 0.8em; padding: 0.6em 0.8em; border: 1px solid var(--border-color-primary);
  border-radius: 6px;
}
.rag-viewer-closed { display: none; }
.rag-viewer-head { margin-bottom: 0.4em; }
.rag-viewer-body { max-height: 28em; overflow-y: auto; font-size: 0.85rem; line-height: 1.5; }
.rag-focus { outline: 2px solid var(--color-accent); border-radius: 3px; }
.rag-focus mark { background: #fde68a; color: #1f2937; }
.dark .rag-focus mark { background: #854d0e; color: #fefce8; }
.rag-page { display: block; font-weight: 700; margin: 0.6em 0 0.2em; color: #4b5563; }
.dark .rag-page { color: #d1d5db; }
/* Readable hints, placeholders and info lines: WCAG AA (>= 4.5:1) on the page and the inputs,
   in both themes (Gradio's subdued grey measured 1.9:1). */
.rag-hint, .rag-score, .rag-status, #rag-about p { color: #4b5563; }
textarea::placeholder, input::placeholder { color: #4b5563 !important; opacity: 1; }
.info-text, [data-testid="block-info"] { color: #4b5563 !important; }
.dark .rag-hint, .dark .rag-score, .dark .rag-status, .dark #rag-about p { color: #d1d5db; }
.dark textarea::placeholder, .dark input::placeholder { color: #d1d5db !important; }
.dark .info-text, .dark [data-testid="block-info"] { color: #d1d5db !important; }
/* Dark theme: the light boxes and highlights get dark backgrounds and light text. */
.dark .rag-abstain { background: #2b2111; color: #fde68a; border-color: #f59e0b; }
.dark .rag-abstain .rag-hint { color: #fef3c7; }
.dark .rag-passage mark { background: #854d0e; color: #fefce8; }
.dark .rag-error { color: #fca5a5; }
.dark .rag-weak { color: #fcd34d; border-color: #f59e0b; }
/* The chat fills what the window leaves, so the question box sits on the first screen. */
#rag-chatbot { height: max(300px, calc(100vh - 600px)) !important; }
/* A phone: the question box on the first screen (a shorter chat; no intro paragraph, info
   lines or refresh button; the collection line clamped to two lines). */
@media (max-width: 640px) {
  #rag-intro p, #rag-refresh, .info-text { display: none; }
  #rag-about p {
    display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
  }
  #rag-chatbot { height: 30vh !important; min-height: 200px; }
}
"""
