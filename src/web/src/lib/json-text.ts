// JSON typed into text boxes: parse with a readable error (line and column), and pretty-print for editing.

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** JSON.parse with an error message that says where the problem is. */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: jsonErrorMessage(text, err) };
  }
}

function jsonErrorMessage(text: string, err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  // V8 quotes the input around the problem ("Unexpected token ',', …"x": [,]" is not valid JSON"); drop the quote.
  message = message.replace(/,\s*(?:\.\.\.)?".*" is not valid JSON$/s, "");
  if (!/line \d+/.test(message)) {
    const position = /at position (\d+)/.exec(message);
    const at = position ? Number(position[1]) : syntaxErrorOffset(text);
    if (at >= 0) {
      const before = text.slice(0, at);
      const line = before.split("\n").length;
      const column = at - before.lastIndexOf("\n");
      message = `${message} (line ${line}, column ${column})`;
    }
  }
  return message.length > 200 ? `${message.slice(0, 197)}…` : message;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Offset of the first JSON syntax error (engines do not always say where), or -1. */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c < " ") fail();
      if (c === "\\") {
        i++;
        if (text[i] === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
        else if ('"\\/bfnrt'.includes(text[i] ?? "?")) i++;
        else fail();
      } else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === "{") {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ["true", "false", "null"])
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : -1;
  } catch (at) {
    return typeof at === "number" ? at : -1; // RangeError: nested too deeply to locate
  }
}

/** Pretty JSON for a text box; `undefined`/null → "". */
export function toJsonText(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}
