// S3's XML: writing responses, and reading the few request bodies S3 has (Delete, CompleteMultipartUpload) without a DTD.

export const s3Namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * Text as XML character data. Control characters other than tab, LF, CR (which XML 1.0 cannot
 * carry even escaped) are written as character references, as S3 itself does: clients that need
 * them exact ask for `encoding-type=url`. NUL, which no key may contain, becomes U+FFFD.
 */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => {
    switch (c) {
      case '\u0000': return '\ufffd';
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      case "'": return '&apos;';
      default: return `&#x${c.charCodeAt(0).toString(16)};`;
    }
  });
}

/** What an XML 1.0 parser (expat: Python's, the AWS CLI's) accepts, the rest as U+FFFD: for error documents, which every client must read. */
export function xml10Text(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** `<name>escaped value</name>`; nothing for undefined. */
export function textElement(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>children</name>` from already-written XML. */
export function element(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

export function xmlDocument(rootName: string, ...children: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName} xmlns="${s3Namespace}">${children.join('')}</${rootName}>`;
}

/** Times in listings: ISO 8601 with milliseconds, as S3 writes them. */
export function xmlTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export interface XmlElement {
  /** Local name: a namespace prefix is dropped. */
  readonly name: string;
  readonly children: XmlElement[];
  /** The element's own character data, entities decoded. */
  readonly text: string;
}

export class XmlSyntaxError extends Error {}

const namePattern = /^[A-Za-z_][\w.:-]*/;

/**
 * A small, strict reader of one element tree: elements, attributes (skipped), text, entities,
 * CDATA, comments and the XML declaration. A DOCTYPE is refused (no entity expansion, no XXE).
 */
export function parseXml(source: string): XmlElement {
  let at = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${at}`);
  };
  const skipMisc = () => {
    for (;;) {
      const rest = source.slice(at);
      const ws = /^\s+/.exec(rest);
      if (ws) {
        at += ws[0].length;
        continue;
      }
      if (rest.startsWith('<?')) {
        const end = source.indexOf('?>', at);
        if (end === -1) fail('unterminated processing instruction');
        at = end + 2;
        continue;
      }
      if (rest.startsWith('<!--')) {
        const end = source.indexOf('-->', at);
        if (end === -1) fail('unterminated comment');
        at = end + 3;
        continue;
      }
      if (rest.startsWith('<!')) fail('DOCTYPE and declarations are not accepted');
      return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[at] !== '<') fail('expected an element');
    at++;
    const name = namePattern.exec(source.slice(at))?.[0] ?? fail('expected an element name');
    at += name.length;
    const close = source.indexOf('>', at);
    if (close === -1) fail('unterminated start tag');
    const selfClosing = source[close - 1] === '/';
    at = close + 1;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    const children: XmlElement[] = [];
    let text = '';
    if (selfClosing) return { name: local, children, text };
    for (;;) {
      if (at >= source.length) fail(`unterminated element <${name}>`);
      if (source.startsWith('</', at)) {
        const end = source.indexOf('>', at);
        if (end === -1 || source.slice(at + 2, end).trim() !== name) fail(`expected </${name}>`);
        at = end + 1;
        return { name: local, children, text };
      }
      if (source.startsWith('<!--', at)) {
        const end = source.indexOf('-->', at);
        if (end === -1) fail('unterminated comment');
        at = end + 3;
      } else if (source.startsWith('<![CDATA[', at)) {
        const end = source.indexOf(']]>', at);
        if (end === -1) fail('unterminated CDATA');
        text += source.slice(at + 9, end);
        at = end + 3;
      } else if (source[at] === '<') {
        children.push(parseElement());
      } else {
        const next = source.indexOf('<', at);
        const raw = source.slice(at, next === -1 ? source.length : next);
        text += decodeEntities(raw, fail);
        at += raw.length;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (at !== source.length) fail('content after the root element');
  return root;
}

function decodeEntities(raw: string, fail: (what: string) => never): string {
  return raw.replace(/&([^;]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) fail('unterminated entity');
    switch (body) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const code = /^#x([0-9a-fA-F]+)$/.exec(body) ? parseInt(body.slice(2), 16) : /^#([0-9]+)$/.test(body) ? parseInt(body.slice(1), 10) : NaN;
    if (!Number.isInteger(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail(`unknown entity &${body};`);
    return String.fromCodePoint(code);
  });
}

/** The children named `name`. */
export function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((c) => c.name === name);
}

/** The text of the one child named `name`, or undefined. */
export function childText(parent: XmlElement, name: string): string | undefined {
  return parent.children.find((c) => c.name === name)?.text;
}
