/**
 * A small, safe parser for Python literals (the Amazon 2014 metadata lines are `repr()`ed
 * dicts with single quotes, not JSON): dicts, lists, tuples, strings with escapes, numbers,
 * `True`/`False`/`None`. Nothing is ever evaluated.
 *
 * @module
 */

/** A parsed Python literal. */
export type PyValue = null | boolean | number | string | PyValue[] | { [key: string]: PyValue };

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
}; // deno-fmt-ignore

/**
 * Parses one Python literal; throws a SyntaxError with the character offset on bad input.
 *
 * @example Usage
 * ```ts
 * parsePyLiteral("{'asin': 'B00', 'categories': [['Toys', 'Dolls']]}");
 * ```
 */
export function parsePyLiteral(text: string): PyValue {
  let p = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`Python literal: ${what} at offset ${p}`);
  };
  const ws = () => {
    while (p < text.length && /\s/.test(text[p])) p++;
  };
  const str = (): string => {
    const q = text[p++];
    let out = "";
    while (p < text.length && text[p] !== q) {
      const ch = text[p++];
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const e = text[p++];
      if (e === undefined) fail("unterminated escape");
      if (e in ESCAPES) out += ESCAPES[e];
      else if (e === "x" || e === "u" || e === "U") {
        const n = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = text.slice(p, p + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail(`bad \\${e} escape`);
        out += String.fromCodePoint(parseInt(hex, 16));
        p += n;
      } else if (e === "\n") {
        // line continuation
      } else out += "\\" + e;
    }
    if (p >= text.length) fail("unterminated string");
    p++;
    return out;
  };
  const seq = (close: string): PyValue[] => {
    const out: PyValue[] = [];
    ws();
    while (text[p] !== close) {
      out.push(value());
      ws();
      if (text[p] === ",") {
        p++;
        ws();
      } else if (text[p] !== close) fail(`expected "," or "${close}"`);
    }
    p++;
    return out;
  };
  const value = (): PyValue => {
    ws();
    const ch = text[p];
    if (ch === undefined) return fail("unexpected end");
    if (ch === "'" || ch === '"') return str();
    if (ch === "[") {
      p++;
      return seq("]");
    }
    if (ch === "(") {
      p++;
      return seq(")");
    }
    if (ch === "{") {
      p++;
      const obj: { [key: string]: PyValue } = {};
      ws();
      while (text[p] !== "}") {
        const k = value();
        ws();
        if (text[p++] !== ":") fail('expected ":"');
        obj[String(k)] = value();
        ws();
        if (text[p] === ",") {
          p++;
          ws();
        } else if (text[p] !== "}") fail('expected "," or "}"');
      }
      p++;
      return obj;
    }
    const m = /^(True|False|None|[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(text.slice(p, p + 64));
    if (!m) return fail(`unexpected "${ch}"`);
    p += m[0].length;
    return m[0] === "True" ? true : m[0] === "False" ? false : m[0] === "None" ? null : Number(m[0]);
  };
  const v = value();
  ws();
  if (p !== text.length) fail("trailing characters");
  return v;
}

/** Parses a line as JSON, falling back to a Python literal. */
export function parseJsonOrPy(text: string): PyValue {
  try {
    return JSON.parse(text) as PyValue;
  } catch {
    return parsePyLiteral(text);
  }
}
