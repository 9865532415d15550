// What a History page or a case drill-down shows, kept in the query string so Back/Forward, reload and bookmarks
// reopen it: `run` (repeated) = expanded runs, `compare=a,b` = the comparison, `case=<eval>~<case>~<provider>~<model>`
// = the open case. Pure: pages read `location.search` with these and navigate to what they build.

/** Runs a comparison takes (the page's selection allows no more). */
export const MAX_COMPARE = 4;

const MAX_ID_LENGTH = 128;

/** Trimmed, non-empty, not absurdly long, each once (in first-seen order). Unknown ids are the page's to report. */
function cleanIds(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const id = raw.trim();
    if (id && id.length <= MAX_ID_LENGTH && !out.includes(id)) out.push(id);
  }
  return out;
}

export interface HistoryView {
  /** Runs shown opened (`?run=a&run=b`; the jobs bell links to `?run=<id>`). */
  expanded: string[];
  /** Runs compared (`?compare=a,b`); fewer than two is no comparison. */
  compare: string[];
}

export function readHistoryView(search: string | URLSearchParams): HistoryView {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const compare = cleanIds(params.getAll("compare").flatMap((v) => v.split(","))).slice(0, MAX_COMPARE);
  return { expanded: cleanIds(params.getAll("run")), compare: compare.length >= 2 ? compare : [] };
}

/** `href` (any absolute or relative URL) with `view`'s parts replaced; other parameters are kept. */
export function withHistoryView(href: string, view: Partial<HistoryView>): string {
  const url = new URL(href, "http://x");
  if (view.expanded) {
    url.searchParams.delete("run");
    for (const id of cleanIds(view.expanded)) url.searchParams.append("run", id);
  }
  if (view.compare) {
    const ids = cleanIds(view.compare).slice(0, MAX_COMPARE);
    if (ids.length >= 2) url.searchParams.set("compare", ids.join(","));
    else url.searchParams.delete("compare");
  }
  return pathWithQuery(url);
}

/** One case × model of one eval run. */
export interface CaseRef {
  evalId: string;
  testCaseId: string;
  providerKey: string;
  modelId: string;
}

const CASE_SEP = "~";

/** The `case` parameter, or null when absent or malformed. The model id goes last: it may contain `~`. */
export function readCaseRef(search: string | URLSearchParams): CaseRef | null {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const raw = params.get("case");
  if (!raw) return null;
  const parts = raw.split(CASE_SEP);
  if (parts.length < 4) return null;
  const [evalId, testCaseId, providerKey, ...model] = parts as [string, string, string, ...string[]];
  const modelId = model.join(CASE_SEP);
  if (![evalId, testCaseId, providerKey, modelId].every((p) => p.length > 0 && p.length <= 256)) return null;
  return { evalId, testCaseId, providerKey, modelId };
}

export function caseParam(ref: CaseRef): string {
  return [ref.evalId, ref.testCaseId, ref.providerKey, ref.modelId].join(CASE_SEP);
}

/** `href` with the open case set (or removed with null); other parameters are kept. */
export function withCase(href: string, ref: CaseRef | null): string {
  const url = new URL(href, "http://x");
  if (ref) url.searchParams.set("case", caseParam(ref));
  else url.searchParams.delete("case");
  return pathWithQuery(url);
}

export function sameCase(a: CaseRef | null, b: CaseRef | null): boolean {
  return !!a && !!b && a.evalId === b.evalId && a.testCaseId === b.testCaseId && a.providerKey === b.providerKey && a.modelId === b.modelId;
}

/** `/path/?query#hash`, readable (the separators of our ids and lists are left unescaped). */
function pathWithQuery(url: URL): string {
  const query = url.searchParams.toString().replaceAll("%2C", ",").replaceAll("%7E", "~");
  return `${url.pathname}${query ? `?${query}` : ""}${url.hash}`;
}
