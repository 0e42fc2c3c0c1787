// A small JSON Schema interpreter (no eval, no code generation: safe under a strict CSP) for the subset of draft
// 2020-12 the report schema uses. Errors carry a JSON path, e.g. "differences[3].ci[0]: expected number, got string".

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
export type JsonScalar = string | number | boolean | null;

/** The keywords this interpreter understands; a schema using any other keyword is rejected when checked. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $defs?: Record<string, JsonSchema>;
  /** Only local references into $defs: "#/$defs/Name". */
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: readonly JsonScalar[];
  const?: JsonScalar;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  /** false: no keys beyond `properties`; a schema: every other key's value must match it. */
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

export const SUPPORTED_KEYWORDS: readonly (keyof JsonSchema)[] = [
  '$schema',
  '$id',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
];

export interface SchemaError {
  /** JSON path of the offending value ("" for the root), e.g. "prompts[0].a.text". */
  path: string;
  message: string;
  /** The keyword that failed: lets callers word some failures (size limits) specially. */
  keyword: keyof JsonSchema | 'required' | 'additionalProperties';
}

export interface CheckOptions {
  /** Stop after this many errors (default 20): a badly broken file should not build a huge list. */
  maxErrors?: number;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** Appends a key to a JSON path: `a.b`, `a["odd key"]`. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = IDENT.test(key) ? key : `[${JSON.stringify(clip(key, 40))}]`;
  return path === '' ? k : k.startsWith('[') ? `${path}${k}` : `${path}.${k}`;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function typeOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'number') return Number.isFinite(x) ? 'number' : String(x);
  return typeof x;
}

/** A short, safe rendering of an untrusted value for an error message. */
function show(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(clip(x, 40));
  if (typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x);
  return typeOf(x);
}

function hasType(x: unknown, t: JsonType): boolean {
  switch (t) {
    case 'object':
      return typeof x === 'object' && x !== null && !Array.isArray(x);
    case 'array':
      return Array.isArray(x);
    case 'string':
      return typeof x === 'string';
    // JSON has no NaN or Infinity: only finite numbers are numbers.
    case 'number':
      return typeof x === 'number' && Number.isFinite(x);
    case 'integer':
      return typeof x === 'number' && Number.isInteger(x);
    case 'boolean':
      return typeof x === 'boolean';
    case 'null':
      return x === null;
  }
}

const verified = new WeakSet<JsonSchema>();

/** Keywords in `schema` (at any depth) that this interpreter does not implement, as "path: keyword". */
export function unsupportedKeywords(schema: JsonSchema): string[] {
  const out: string[] = [];
  const walk = (s: JsonSchema, at: string) => {
    for (const k of Object.keys(s)) {
      if (!(SUPPORTED_KEYWORDS as readonly string[]).includes(k)) out.push(`${at}: ${k}`);
    }
    for (const [k, sub] of Object.entries(s.$defs ?? {})) walk(sub, `${at}/$defs/${k}`);
    for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, `${at}/properties/${k}`);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}/additionalProperties`);
    if (s.propertyNames) walk(s.propertyNames, `${at}/propertyNames`);
    if (s.items) walk(s.items, `${at}/items`);
  };
  walk(schema, '#');
  return out;
}

/** Checks `value` against `schema` (resolving $ref against `root`); returns the errors, first found first. */
export function checkSchema(value: unknown, schema: JsonSchema, options: CheckOptions = {}): SchemaError[] {
  const maxErrors = options.maxErrors ?? 20;
  if (!verified.has(schema)) {
    const bad = unsupportedKeywords(schema);
    if (bad.length) throw new Error(`schema-check: unsupported keywords ${bad.join(', ')}`);
    verified.add(schema);
  }
  const errors: SchemaError[] = [];
  const fail = (path: string, keyword: SchemaError['keyword'], message: string) => {
    errors.push({ path, keyword, message });
  };
  const resolve = (s: JsonSchema): JsonSchema => {
    let seen = 0;
    while (s.$ref !== undefined) {
      const m = /^#\/\$defs\/([^/]+)$/.exec(s.$ref);
      const target = m ? schema.$defs?.[m[1]!] : undefined;
      if (!target || ++seen > 32) throw new Error(`schema-check: cannot resolve $ref ${s.$ref}`);
      s = target;
    }
    return s;
  };

  const visit = (x: unknown, raw: JsonSchema, path: string): void => {
    if (errors.length >= maxErrors) return;
    const s = resolve(raw);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => hasType(x, t))) {
        const want = types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types.at(-1)}` : types[0];
        const got = types.includes('integer') && typeof x === 'number' && Number.isFinite(x) ? String(x) : typeOf(x);
        return fail(path, 'type', `expected ${want}, got ${got}`);
      }
    }
    if (s.const !== undefined && x !== s.const) return fail(path, 'const', `expected ${show(s.const)}, got ${show(x)}`);
    if (s.enum !== undefined && !s.enum.includes(x as JsonScalar)) {
      return fail(path, 'enum', `expected one of ${s.enum.map(show).join(', ')}, got ${show(x)}`);
    }
    if (typeof x === 'number') {
      if (s.minimum !== undefined && x < s.minimum) fail(path, 'minimum', `${x} is below the minimum ${s.minimum}`);
      if (s.maximum !== undefined && x > s.maximum) fail(path, 'maximum', `${x} is above the maximum ${s.maximum}`);
    }
    if (typeof x === 'string') {
      if (s.maxLength !== undefined && x.length > s.maxLength)
        fail(path, 'maxLength', `a string of ${x.length} characters, longer than the ${s.maxLength} allowed`);
      if (s.minLength !== undefined && x.length < s.minLength)
        fail(path, 'minLength', `a string of ${x.length} characters, shorter than the ${s.minLength} required`);
    }
    if (Array.isArray(x)) {
      if (s.maxItems !== undefined && x.length > s.maxItems)
        return fail(path, 'maxItems', `${x.length} items, more than the ${s.maxItems} allowed`);
      if (s.minItems !== undefined && x.length < s.minItems)
        fail(path, 'minItems', `${x.length} items, fewer than the ${s.minItems} required`);
      if (s.items)
        for (let i = 0; i < x.length && errors.length < maxErrors; i++) visit(x[i], s.items, joinPath(path, i));
    }
    if (hasType(x, 'object')) visitObject(x as Record<string, unknown>, s, path);
  };

  const visitObject = (x: Record<string, unknown>, s: JsonSchema, path: string): void => {
    const props = s.properties ?? {};
    for (const key of s.required ?? []) {
      if (!Object.hasOwn(x, key)) fail(joinPath(path, key), 'required', 'required field is missing');
    }
    for (const [key, sub] of Object.entries(props)) {
      if (errors.length >= maxErrors) return;
      if (Object.hasOwn(x, key)) visit(x[key], sub, joinPath(path, key));
    }
    for (const key of Object.keys(x)) {
      if (errors.length >= maxErrors) return;
      if (Object.hasOwn(props, key)) continue;
      if (s.propertyNames) visit(key, s.propertyNames, joinPath(path, key));
      if (s.additionalProperties === false) fail(joinPath(path, key), 'additionalProperties', 'unexpected field');
      else if (typeof s.additionalProperties === 'object') visit(x[key], s.additionalProperties, joinPath(path, key));
    }
  };

  visit(value, schema, '');
  return errors.slice(0, maxErrors);
}

/** "path: message", with "(the report)" for the root. */
export function formatSchemaError(e: SchemaError): string {
  return `${e.path || '(top level)'}: ${e.message}`;
}
