/** The Markdown parser: remark-parse with GFM, YAML frontmatter and directive syntax. Nothing else. */
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(remarkDirective).freeze();

export function parseMarkdown(source: string): Root {
  return processor.parse(source);
}
