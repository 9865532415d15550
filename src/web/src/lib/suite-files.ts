// Suite files in the browser: which import body a chosen file (or BFCL question + answer pair) becomes, and
// the file names and contents of exports. The server validates everything; this only picks the format and
// catches text that is not JSON at all, so the user sees the line and column instead of a generic 400.
import { isPlainObject, parseJsonText } from "./json-text.ts";

export interface PickedFile {
  name: string;
  text: string;
}

export type ImportPlan = { ok: true; format: "original" | "bfcl"; body: unknown; label: string } | { ok: false; message: string; details: string[] };

/** The server's body limit (src/worker/app.ts MAX_BODY_BYTES); bigger files are refused before upload. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

const baseName = (name: string) => name.replace(/\.(jsonl|json|ndjson|txt)$/i, "") || "Imported suite";

type Shape = "original" | "bfcl-questions" | "bfcl-answers" | "json-array" | "unknown";

/** Reads a file's text as one JSON document or as JSON Lines (BFCL files are JSON Lines despite `.json`). */
function shapeOf(text: string): { shape: Shape; error?: string } {
  const whole = parseJsonText(text);
  if (whole.ok) {
    const v = whole.value;
    if (Array.isArray(v)) return { shape: isPlainObject(v[0]) && "question" in v[0] ? "bfcl-questions" : "json-array" };
    if (isPlainObject(v)) {
      if ("question" in v) return { shape: "bfcl-questions" };
      if ("ground_truth" in v) return { shape: "bfcl-answers" };
      return { shape: "original" };
    }
    return { shape: "unknown", error: "The file holds a single JSON value, not a suite." };
  }
  const firstLine = text.split("\n").find((l) => l.trim() !== "") ?? "";
  const first = parseJsonText(firstLine);
  if (first.ok && isPlainObject(first.value)) {
    if ("ground_truth" in first.value && !("question" in first.value)) return { shape: "bfcl-answers" };
    return { shape: "bfcl-questions" };
  }
  return { shape: "unknown", error: whole.error };
}

/** One file: the original's suite JSON or BFCL questions. Two files: BFCL questions + possible answers. */
export function planImport(files: PickedFile[]): ImportPlan {
  if (files.length === 0) return { ok: false, message: "No file chosen.", details: [] };
  if (files.length > 2) {
    return { ok: false, message: "Choose one suite file, or a BFCL question file and its possible-answer file.", details: [] };
  }
  const shapes = files.map((f) => ({ file: f, ...shapeOf(f.text) }));
  const broken = shapes.filter((s) => s.shape === "unknown");
  if (broken.length) {
    return {
      ok: false,
      message: broken.length === 1 ? `${broken[0]!.file.name} is not valid JSON or JSON Lines.` : "These files are not valid JSON or JSON Lines.",
      details: broken.map((s) => `${s.file.name}: ${s.error ?? "unreadable"}`),
    };
  }
  if (files.length === 1) {
    const { file, shape } = shapes[0]!;
    if (shape === "bfcl-answers") {
      return { ok: false, message: `${file.name} is a BFCL possible-answer file: choose it together with its question file.`, details: [] };
    }
    if (shape === "original" || shape === "json-array") {
      const parsed = parseJsonText(file.text);
      return { ok: true, format: "original", body: parsed.ok ? parsed.value : null, label: file.name };
    }
    return { ok: true, format: "bfcl", body: { format: "bfcl", questions: file.text, name: baseName(file.name) }, label: file.name };
  }
  const questions = shapes.find((s) => s.shape === "bfcl-questions");
  const answers = shapes.find((s) => s.shape === "bfcl-answers");
  if (!questions || !answers) {
    return {
      ok: false,
      message: "With two files, choose a BFCL question file and its possible-answer file.",
      details: shapes.map(
        (s) => `${s.file.name}: ${s.shape === "bfcl-answers" ? "possible answers" : s.shape === "bfcl-questions" ? "questions" : "not BFCL"}`,
      ),
    };
  }
  return {
    ok: true,
    format: "bfcl",
    body: { format: "bfcl", questions: questions.file.text, answers: answers.file.text, name: baseName(questions.file.name) },
    label: `${questions.file.name} + ${answers.file.name}`,
  };
}

/**
 * The suite editor's address. Open it with a full page load (<a href>, location.assign): Qwik City's client
 * navigation replaces the URL with the prerendered page's, dropping the query string.
 */
export const editorHref = (id: string) => `/tool-eval/suite/?id=${encodeURIComponent(id)}`;

/** Same slug as the server's Content-Disposition name (src/worker/routes/suite-io.ts). */
export function suiteSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "suite"
  );
}

export const suiteFileName = (name: string) => `suite-${suiteSlug(name)}.json`;
export const bfclFileNames = (name: string) => ({
  questions: `${suiteSlug(name)}.bfcl-questions.jsonl`,
  answers: `${suiteSlug(name)}.bfcl-possible-answer.jsonl`,
});

export const JSON_MIME = "application/json;charset=utf-8";
export const JSONL_MIME = "application/x-ndjson;charset=utf-8";
