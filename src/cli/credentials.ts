/**
 * Where `llm-bench login` keeps the deployment's URL and CLI token: $XDG_CONFIG_HOME/llm-bench/credentials.json
 * (~/.config/llm-bench/… without it), the directory 0700 and the file 0600, so other local users cannot read it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { CliError, EXIT } from "./command.ts";

const CredentialsSchema = z.object({ url: z.url({ protocol: /^https?$/ }), token: z.string().min(1) });
export type Credentials = z.infer<typeof CredentialsSchema>;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : path.join(homedir(), ".config");
  return path.join(base, "llm-bench");
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), "credentials.json");
}

export function saveCredentials(creds: Credentials, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // mkdir's mode does not apply to a directory that already existed
  const file = credentialsFile(env);
  // Written with 0600 from the start (no moment where the token is readable by others), then chmod for an old file.
  writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The stored credentials; LLM_BENCH_URL / LLM_BENCH_TOKEN override them (CI without a login step). */
export function loadCredentials(env: NodeJS.ProcessEnv = process.env): Credentials {
  const file = credentialsFile(env);
  let stored: Partial<Credentials> = {};
  if (existsSync(file)) {
    if (process.platform !== "win32" && (statSync(file).mode & 0o077) !== 0) {
      throw new CliError(`${file} is readable by other users: run chmod 600 ${file} (or llm-bench login again)`, EXIT.input);
    }
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as Partial<Credentials>;
    } catch {
      throw new CliError(`${file} is not valid JSON: run llm-bench login again`, EXIT.input);
    }
  }
  const merged = { url: env.LLM_BENCH_URL?.trim() || stored.url, token: env.LLM_BENCH_TOKEN?.trim() || stored.token };
  if (!merged.url || !merged.token)
    throw new CliError("not logged in: run llm-bench login <url> (or set LLM_BENCH_URL and LLM_BENCH_TOKEN)", EXIT.input);
  const parsed = CredentialsSchema.safeParse(merged);
  if (!parsed.success) throw new CliError(`the stored deployment URL is not an http(s) URL: run llm-bench login again`, EXIT.input);
  return parsed.data;
}

/** Removes the stored credentials; true when there were some. */
export function deleteCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = credentialsFile(env);
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}
