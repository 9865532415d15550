/** What every request handler sees: the bindings and the per-request variables set by app.ts and the auth level. */
import type { TokenType } from "../auth/tokens.ts";
import type { UserRow } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import type { Logger } from "./log.ts";

export interface AppVariables {
  requestId: string;
  log: Logger;
  db: Db;
  user: UserRow; // set by requireUser
  tokenType: TokenType; // set by requireUser: "access" (a browser session) or "cli"
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
