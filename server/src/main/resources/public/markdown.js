// Model output → safe HTML. The only place the UI turns model text into markup.
// Raw HTML in the Markdown is escaped (shown as text, never parsed), and the result
// goes through DOMPurify as well, so a link like [x](javascript:…) cannot run either.
// The renderer and the sanitizer come from Maven Central (see server/pom.xml): bump the versions here with the pom's.
// Imported by path rather than through an import map, which would be an inline script the CSP forbids.
import { Marked } from '/webjars/marked/15.0.12/lib/marked.esm.js';
import DOMPurify from '/npm/dompurify/3.4.15/dist/purify.es.mjs';

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const md = new Marked({
  gfm: true,
  async: false,
  renderer: { html: ({ text }) => escapeHtml(text) },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** Sanitized HTML for a Markdown text (also for the .html download). */
export function markdownToHtml(text) {
  return DOMPurify.sanitize(md.parse(text ?? ''), { FORBID_TAGS: ['style', 'form', 'input', 'button'] });
}

/** Renders `text` into `el` as Markdown. */
export function renderMarkdown(el, text) {
  el.innerHTML = markdownToHtml(text);
}

/** A standalone HTML document for a downloaded article. */
export function htmlDocument(title, text) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{max-width:42rem;margin:2rem auto;padding:0 1rem;font:17px/1.6 system-ui,sans-serif}</style>
</head>
<body>
${markdownToHtml(text)}
</body>
</html>
`;
}
