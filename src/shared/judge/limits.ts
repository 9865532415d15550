/** The judge's custom instructions: the saved default (settings), a judge request and the Judge page's field share this bound. */
export const JUDGE_INSTRUCTIONS_MAX_CHARS = 10_000;
