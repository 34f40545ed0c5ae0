/**
 * Writes the reference tables in docs/widget.md (attributes, methods, events, parts, custom
 * properties, slots) from the Custom Elements Manifest the build generated (dist/custom-elements.json),
 * so the docs say what the element's JSDoc says. `npm run build` runs it; a test checks that the
 * committed docs match the manifest.
 *
 *   node --import tsx scripts/widget-docs.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Described { name: string; description?: string; type?: { text: string }; default?: string }
interface Member extends Described {
  kind: 'field' | 'method';
  privacy?: 'public' | 'private' | 'protected';
  static?: boolean;
  readonly?: boolean;
  parameters?: Described[];
  return?: { type?: { text: string } };
  attribute?: string;
}
interface Attribute extends Described { fieldName?: string }
export interface ElementDeclaration {
  tagName?: string;
  attributes?: Attribute[];
  members?: Member[];
  events?: Described[];
  cssParts?: Described[];
  cssProperties?: Described[];
  slots?: Described[];
}
interface Manifest { modules: { declarations?: ElementDeclaration[] }[] }

export const manifestFile = fileURLToPath(new URL('../dist/custom-elements.json', import.meta.url));
export const docFile = fileURLToPath(new URL('../docs/widget.md', import.meta.url));

/** The declaration of `<checkout-cart>` in a manifest. */
export function checkoutCart(manifest: Manifest): ElementDeclaration {
  const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'checkout-cart');
  if (!element) throw new Error('the manifest declares no <checkout-cart>');
  return element;
}

const cell = (text: string | undefined) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (text: string | undefined) => (text ? `\`${text}\`` : '');

function table(headings: string[], rows: (string | undefined)[][]): string {
  return [`| ${headings.join(' | ')} |`, `| ${headings.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

function signature(method: Member): string {
  const parameters = (method.parameters ?? []).map((p) => `${p.name}${p.default === undefined ? '' : ` = ${p.default}`}`).join(', ');
  return `${method.name}(${parameters})`;
}

/** Each generated section of the doc, by name. */
export function sections(element: ElementDeclaration): Record<string, string> {
  const publicMembers = (element.members ?? []).filter((m) => (m.privacy ?? 'public') === 'public' && !m.static);
  const attributeFields = new Set((element.attributes ?? []).map((a) => a.fieldName));
  return {
    attributes: table(['attribute', 'property', 'type', 'default', 'meaning'], (element.attributes ?? []).map((a) => [
      code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), a.description,
    ])),
    javascript: table(['member', 'returns', 'meaning'], publicMembers.filter((m) => !attributeFields.has(m.name)).map((m) => [
      m.kind === 'method' ? code(signature(m)) : code(m.name) + (m.readonly ? ' (read-only)' : ''),
      code(m.kind === 'method' ? m.return?.type?.text : m.type?.text), m.description,
    ])),
    events: table(['event', 'class', 'meaning'], (element.events ?? []).map((e) => [code(e.name), code(e.type?.text), e.description])),
    parts: table(['part', 'what it is'], (element.cssParts ?? []).map((p) => [code(p.name), p.description])),
    'custom-properties': table(['property', 'syntax', 'default (light scheme)', 'what it sets'], (element.cssProperties ?? []).map((p) => [
      code(p.name), code(p.type?.text), code(p.default), p.description,
    ])),
    slots: table(['slot', 'what goes there'], (element.slots ?? []).map((s) => [code(s.name), s.description])),
  };
}

/** The doc with every `<!-- manifest:NAME -->` ... `<!-- /manifest:NAME -->` section regenerated. */
export function withTables(doc: string, element: ElementDeclaration): string {
  const generated = sections(element);
  let seen = 0;
  const result = doc.replace(/<!-- manifest:([\w-]+) -->\n[\s\S]*?<!-- \/manifest:\1 -->/g, (_, name: string) => {
    const body = generated[name];
    if (body === undefined) throw new Error(`docs/widget.md has a section "${name}" the script does not make`);
    seen++;
    return `<!-- manifest:${name} -->\n${body}\n<!-- /manifest:${name} -->`;
  });
  if (seen !== Object.keys(generated).length) throw new Error(`docs/widget.md has ${seen} of the ${Object.keys(generated).length} generated sections`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const element = checkoutCart(JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest);
  const doc = readFileSync(docFile, 'utf8');
  const updated = withTables(doc, element);
  if (process.argv.includes('--check')) {
    if (updated !== doc) {
      console.error('docs/widget.md is out of date with the manifest: run `npm run build`');
      process.exit(1);
    }
  } else if (updated !== doc) {
    writeFileSync(docFile, updated);
  }
}
