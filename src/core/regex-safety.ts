// Bounds on user-written regular expressions (prompt-set `regex` references), which run on model output in this
// page: JavaScript's backtracking engine can take exponential time on patterns that repeat a group which itself
// repeats or alternates ("(a+)+", "(a|aa)*"), so such patterns are refused, and subjects are capped in length.

/** Longest pattern accepted. */
export const MAX_REGEX_PATTERN = 1_000;
/** Only this many leading characters of a response are searched. */
export const MAX_REGEX_SUBJECT = 10_000;

interface Group {
  /** Index of the opening parenthesis. */
  at: number;
  repeats: boolean;
  alternates: boolean;
}

/**
 * Why `pattern` is unsafe to run on untrusted text, or null when it is fine. A syntax check, not a proof: it finds
 * nested repetition (star height above one) and repeated alternations, the causes of exponential backtracking.
 */
export function unsafeRegexReason(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_PATTERN) {
    return `is ${pattern.length.toLocaleString('en')} characters long; the limit is ${MAX_REGEX_PATTERN.toLocaleString('en')}`;
  }
  const stack: Group[] = [{ at: -1, repeats: false, alternates: false }];
  /** Length of the repetition quantifier at i ("*", "+", "{2,}", with a lazy "?"), or 0 for none or a plain "?". */
  const repetition = (i: number): number => {
    const c = pattern[i];
    if (c === '*' || c === '+') return pattern[i + 1] === '?' ? 2 : 1;
    const m = c === '{' ? /^\{(\d+)(,(\d*))?\}\??/.exec(pattern.slice(i, i + 24)) : null;
    if (!m) return 0;
    // {n} and {0,1} match one way only; {n,} and {n,m} with m > n are repetition.
    const [, low, comma, high] = m;
    const repeats = comma !== undefined && (high === '' || Number(high) > Math.max(1, Number(low)));
    return repeats ? m[0].length : 0;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      i++;
      // \u{…}, \p{…}, \P{…}: the braces belong to the escape.
      if ('upP'.includes(pattern[i] ?? '') && pattern[i + 1] === '{')
        while (i < pattern.length && pattern[i] !== '}') i++;
    } else if (c === '[') {
      // A character class is one atom: skip to its closing bracket.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
    } else if (c === '(') {
      stack.push({ at: i, repeats: false, alternates: false });
      continue;
    } else if (c === ')' && stack.length > 1) {
      const group = stack.pop()!;
      const n = repetition(i + 1);
      if (n > 0 && (group.repeats || group.alternates)) {
        const what = group.repeats ? 'itself repeats' : 'holds alternatives (|)';
        return (
          `repeats a group that ${what} (${JSON.stringify(pattern.slice(group.at, i + 1 + n))} at character ` +
          `${group.at + 1}), which can take exponential time on some responses: rewrite it without nested repetition`
        );
      }
      const parent = stack[stack.length - 1]!;
      parent.repeats ||= group.repeats || n > 0;
      i += n;
      continue;
    } else if (c === '|') {
      top.alternates = true;
      continue;
    }
    const n = repetition(i + 1);
    if (n > 0) {
      top.repeats = true;
      i += n;
    }
  }
  return null;
}
