// Suite downloads and uploads shared by the Suites list and the editor: export (original JSON, BFCL JSON Lines),
// the example file, and importing chosen files through POST /api/tool-eval/import.
import { api } from "./api-client";
import { downloadText } from "./csv";
import { ApiError } from "./http";
import { bfclFileNames, JSON_MIME, JSONL_MIME, MAX_IMPORT_BYTES, type PickedFile, planImport, suiteFileName } from "./suite-files";
import type { ImportResponse } from "./tool-suite-types";

export async function exportSuiteJson(id: string, name: string): Promise<void> {
  const doc = await api.get<Record<string, unknown>>(`/api/tool-suites/${encodeURIComponent(id)}/export`);
  downloadText(suiteFileName(name), `${JSON.stringify(doc, null, 2)}\n`, JSON_MIME);
}

/** BFCL keeps questions and possible answers in two JSON Lines files; both are downloaded. */
export async function exportSuiteBfcl(id: string, name: string): Promise<void> {
  const doc = await api.get<{ questions: string; answers: string }>(`/api/tool-suites/${encodeURIComponent(id)}/export/bfcl`);
  const files = bfclFileNames(name);
  downloadText(files.questions, doc.questions, JSONL_MIME);
  downloadText(files.answers, doc.answers, JSONL_MIME);
}

export async function downloadExample(): Promise<void> {
  const doc = await api.get<Record<string, unknown>>("/api/tool-eval/import/example");
  downloadText("example-suite.json", `${JSON.stringify(doc, null, 2)}\n`, JSON_MIME);
}

/** Imports the server's example suite in one step (the empty state's shortcut). */
export async function importExample(): Promise<ImportResponse> {
  const doc = await api.get<Record<string, unknown>>("/api/tool-eval/import/example");
  return api.post<ImportResponse>("/api/tool-eval/import", doc);
}

/** Import issues already say where ("suite test_cases[3].expected_tool: …"); schema errors only carry a path. */
function issueLine(d: { path: string; message: string }): string {
  const located = d.path === "" || d.path === "(body)" || d.message.startsWith(d.path.split(":")[0]!);
  return located ? d.message : `${d.path}: ${d.message}`;
}

export class ImportProblem extends Error {
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.details = details;
  }
}

/**
 * Reads the chosen files and imports them. Problems come back as ImportProblem with one line per issue
 * (the server's issues already name the file, line and field).
 */
export async function importFiles(fileList: FileList | File[]): Promise<{ result: ImportResponse; label: string }> {
  const files = Array.from(fileList);
  const tooBig = files.find((f) => f.size > MAX_IMPORT_BYTES);
  if (tooBig) throw new ImportProblem(`${tooBig.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the most one import accepts.`);
  const picked: PickedFile[] = await Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
  const plan = planImport(picked);
  if (!plan.ok) throw new ImportProblem(plan.message, plan.details);
  try {
    return { result: await api.post<ImportResponse>("/api/tool-eval/import", plan.body), label: plan.label };
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) {
      throw new ImportProblem(`${plan.label}: ${err.message}`, err.details.map(issueLine));
    }
    throw err;
  }
}
