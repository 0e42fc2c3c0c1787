// Finds where things are in JSON text (first syntax error; start line of each prompt) — JSON.parse says neither.
// Iterative (explicit stack) so a file of 5 MB of "[" cannot overflow the call stack.

export interface JsonSyntaxIssue {
  line: number;
  column: number;
  message: string;
}

export interface JsonLocations {
  /** The first syntax error, if any. */
  error?: JsonSyntaxIssue;
  /** 1-based start line of each element of the prompts array: the root array, or the root object's "prompts". */
  elementLines: number[];
}

interface Frame {
  kind: 'array' | 'object';
  /** Record the start line of each element (this is the prompts array). */
  collect: boolean;
  /** The root object, whose "prompts" key holds the prompts. */
  root: boolean;
  key: string | undefined;
}

type Expect = 'value' | 'valueOrEnd' | 'afterValue' | 'keyOrEnd' | 'key' | 'colon';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

export function locateJson(text: string): JsonLocations {
  const elementLines: number[] = [];
  const stack: Frame[] = [];
  let i = 0;
  let line = 1;
  let expect: Expect = 'value';
  let done = false;

  const fail = (message: string, at = i): JsonLocations => {
    // Recount: `at` may lie before i (an unterminated string is reported where it opened).
    let l = 1;
    let ls = 0;
    for (let k = 0; k < at && k < text.length; k++) {
      if (text.charCodeAt(k) === 10) {
        l++;
        ls = k + 1;
      }
    }
    return { error: { line: l, column: at - ls + 1, message }, elementLines };
  };
  const describe = (c: string) => (c === '\n' ? 'a line break' : JSON.stringify(c));

  /** Scans the string opening at i; returns the index after its closing quote, or an error. */
  const scanString = (): number | JsonLocations => {
    const open = i;
    let k = i + 1;
    for (;;) {
      if (k >= text.length) return fail('unterminated string: add the closing double quote', open);
      const code = text.charCodeAt(k);
      if (code === 34) return k + 1;
      if (code < 0x20) {
        return fail('raw line break or control character inside a string: write it as \\n (or \\t, \\u00XX)', k);
      }
      if (code === 92) {
        const e = text[k + 1] ?? '';
        if (e === 'u') {
          if (!HEX4.test(text.slice(k + 2, k + 6))) return fail('bad \\u escape: it needs 4 hex digits', k);
          k += 6;
          continue;
        }
        if (!ESCAPES.has(e)) return fail(`bad escape \\${e} in a string: write a backslash as \\\\`, k);
        k += 2;
        continue;
      }
      k++;
    }
  };

  for (;;) {
    // Skip whitespace, counting lines.
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 10) line++;
      else if (code !== 32 && code !== 9 && code !== 13) break;
      i++;
    }
    if (i >= text.length) {
      if (done) return { elementLines };
      if (stack.length === 0 && expect === 'value') return fail('the file is empty: it holds no JSON value');
      return fail('unexpected end of the file: a bracket, brace or value is missing');
    }
    const c = text[i] ?? '';
    const top = stack[stack.length - 1];

    if (expect === 'value' || expect === 'valueOrEnd') {
      if (c === ']' && expect === 'valueOrEnd') {
        stack.pop();
        i++;
        expect = 'afterValue';
      } else {
        if (top?.collect) elementLines.push(line);
        if (c === '{') {
          stack.push({ kind: 'object', collect: false, root: stack.length === 0, key: undefined });
          expect = 'keyOrEnd';
          i++;
        } else if (c === '[') {
          const collect = stack.length === 0 || (top?.root === true && top.key === 'prompts');
          if (collect) elementLines.length = 0;
          stack.push({ kind: 'array', collect, root: false, key: undefined });
          expect = 'valueOrEnd';
          i++;
        } else if (c === '"') {
          const end = scanString();
          if (typeof end !== 'number') return end;
          i = end;
          expect = 'afterValue';
        } else if (c === ']' || c === '}') {
          return fail(`unexpected ${describe(c)}: a value is missing (a trailing comma is not allowed in JSON)`);
        } else {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          const literal = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
          if (m !== null) i += m[0].length;
          else if (literal !== undefined) i += literal.length;
          else return fail(`unexpected ${describe(c)}: expected a value (string in double quotes, number, {, [)`);
          expect = 'afterValue';
        }
      }
    } else if (expect === 'afterValue') {
      if (top === undefined) return fail(`unexpected ${describe(c)} after the end of the JSON value`);
      const close = top.kind === 'array' ? ']' : '}';
      if (c === ',') expect = top.kind === 'array' ? 'value' : 'key';
      else if (c === close) stack.pop();
      else {
        const where = top.kind === 'array' ? 'between array elements' : 'after a property value';
        return fail(`expected "," or "${close}" ${where}, found ${describe(c)}: a comma is probably missing`);
      }
      i++;
    } else if (expect === 'keyOrEnd' || expect === 'key') {
      if (c === '}' && expect === 'keyOrEnd') {
        stack.pop();
        i++;
        expect = 'afterValue';
      } else if (c === '"' && top !== undefined) {
        const end = scanString();
        if (typeof end !== 'number') return end;
        top.key = text.slice(i + 1, end - 1);
        i = end;
        expect = 'colon';
      } else if (c === '}') {
        return fail('unexpected "}": a trailing comma is not allowed in JSON');
      } else {
        return fail(`expected a property name in double quotes, found ${describe(c)}`);
      }
    } else {
      if (c !== ':') return fail(`expected ":" after the property name, found ${describe(c)}`);
      i++;
      expect = 'value';
    }
    if (expect === 'afterValue' && stack.length === 0) done = true;
  }
}
