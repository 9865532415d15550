/** `llm-bench login <url>` and `llm-bench logout`: store (or remove) the deployment's URL and a CLI token. */
import { z } from "zod";
import { CliError, type Command, EXIT, parseOptions } from "./command.ts";
import { credentialsFile, deleteCredentials, saveCredentials } from "./credentials.ts";
import { Deployment } from "./deployment.ts";

const LOGIN_USAGE = `llm-bench login — sign the CLI in to a deployment with a CLI token

Usage:
  llm-bench login <url> [--token TOKEN]
  echo "$TOKEN" | llm-bench login <url>

  url              the deployment, e.g. https://bench.example.com
  --token <token>  the CLI token (prefer stdin or $LLM_BENCH_TOKEN: a command line can be seen by other users)
  -h, --help       this text

Create the token in the web app under Settings → CLI tokens (it is shown once). The token is read from --token,
else from $LLM_BENCH_TOKEN, else from standard input (asked for, without echo, on a terminal). It is checked
against the deployment, then stored with the URL in $XDG_CONFIG_HOME/llm-bench/credentials.json (default
~/.config/llm-bench/), readable only by you (0600).

Exit codes: 0 signed in, 2 bad URL or token (refused, revoked or expired), 3 the deployment cannot be reached.
`;

const LOGOUT_USAGE = `llm-bench logout — forget the stored deployment URL and CLI token

Usage:
  llm-bench logout

Removes the credentials file. The token itself stays valid until you revoke it in the web app
(Settings → CLI tokens).
`;

const UrlSchema = z.url({ protocol: /^https?$/, hostname: /.+/ });

/** Reads the token from a pipe, or asks for it on a terminal without echoing it. */
async function readTokenFromStdin(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = "";
    for await (const chunk of stdin) text += chunk;
    return text.trim();
  }
  process.stderr.write("CLI token (from Settings → CLI tokens; input hidden): ");
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(text.trim());
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new CliError("cancelled", EXIT.interrupted));
          return;
        }
        if (ch === "\u007f") text = text.slice(0, -1);
        else text += ch;
      }
    };
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}

export const loginCommand: Command = {
  name: "login",
  summary: "sign in to a deployment with a CLI token (for run --remote, history, export)",
  usage: LOGIN_USAGE,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { token: { type: "string" }, help: { type: "boolean", short: "h" } }, true);
    if (values.help) {
      process.stdout.write(LOGIN_USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new CliError("give the deployment's URL, e.g. llm-bench login https://bench.example.com");
    const url = UrlSchema.safeParse(positionals[0]);
    if (!url.success) throw new CliError(`not an http(s) URL: ${positionals[0]}`);
    const token = (values.token ?? process.env.LLM_BENCH_TOKEN ?? "").trim() || (await readTokenFromStdin());
    if (!token) throw new CliError("no token: pass --token, set LLM_BENCH_TOKEN or pipe it to standard input");
    if (/\s/.test(token)) throw new CliError("the token contains whitespace: paste it exactly as the web app showed it");

    const creds = { url: url.data.replace(/\/+$/, ""), token };
    const { user } = await new Deployment(creds).json<{ user: { email: string } }>("/api/auth/me");
    const file = saveCredentials(creds);
    process.stdout.write(`Logged in to ${creds.url} as ${user.email}.\nCredentials stored in ${file} (readable only by you).\n`);
    return EXIT.ok;
  },
};

export const logoutCommand: Command = {
  name: "logout",
  summary: "forget the stored deployment URL and CLI token",
  usage: LOGOUT_USAGE,
  async run(argv) {
    const { values } = parseOptions(argv, { help: { type: "boolean", short: "h" } });
    if (values.help) {
      process.stdout.write(LOGOUT_USAGE);
      return EXIT.ok;
    }
    const removed = deleteCredentials();
    process.stdout.write(
      removed
        ? `Logged out: removed ${credentialsFile()}. Revoke the token in the web app (Settings → CLI tokens) if it may have leaked.\n`
        : "Not logged in: nothing to remove.\n",
    );
    return EXIT.ok;
  },
};
