// Unsaved-change guard: editors mark themselves dirty by key; while any is dirty, leaving or reloading the
// page asks first (the browser's own beforeunload prompt). In-app links are not intercepted.

const dirty = new Set<string>();
let installed = false;

function onBeforeUnload(event: BeforeUnloadEvent): void {
  if (dirty.size === 0) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need returnValue set to show the prompt
}

export function setDirty(key: string, isDirty: boolean): void {
  if (isDirty) dirty.add(key);
  else dirty.delete(key);
  if (!installed && typeof window !== "undefined") {
    window.addEventListener("beforeunload", onBeforeUnload);
    installed = true;
  }
}

/** Any unsaved editor, or only those whose key starts with `prefix`. */
export function hasUnsavedChanges(prefix = ""): boolean {
  for (const key of dirty) if (key.startsWith(prefix)) return true;
  return false;
}

/** Forget every mark (the editor page unmounts or opens another suite). */
export function clearDirty(): void {
  dirty.clear();
}
