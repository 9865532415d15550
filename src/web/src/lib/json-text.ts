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
  // Engines quote the whole input in some messages ("… is not valid JSON"); keep the sentence short.
  message = message.replace(/,\s*".*" is not valid JSON$/s, " (not valid JSON)");
  const position = /at position (\d+)/.exec(message);
  if (position && !/line \d+/.test(message)) {
    const at = Number(position[1]);
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    message = `${message} (line ${line}, column ${column})`;
  }
  return message.length > 200 ? `${message.slice(0, 197)}…` : message;
}

/** Pretty JSON for a text box; `undefined`/null → "". */
export function toJsonText(value: unknown): string {
  return value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}
