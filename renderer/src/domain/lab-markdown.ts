/**
 * Lab texts are Markdown written by instructors. They are rendered without raw HTML (a `<script>`
 * in a lab shows as text), without images from anywhere (the app works offline and makes no
 * request), and with links that say where they go; code spans and blocks keep Kafka's commands
 * readable. The result is safe to put in the page as HTML.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
// An image would be a request to somewhere; a lab shows its alt text instead.
markdown.renderer.rules.image = (tokens, index) => markdown.utils.escapeHtml(tokens[index]!.content);
const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderLabMarkdown(text: string): string {
  return markdown.render(text);
}

/** One line of Markdown (a title, a check's label) without a surrounding paragraph. */
export function renderLabMarkdownInline(text: string): string {
  return markdown.renderInline(text);
}
