/**
 * Turning a message into a command. Pure. Understands `/name args`, `/name@bot args`, and the
 * citizens' plain phrases «статус 123», «статус №123» and «мои обращения».
 */

export interface ParsedCommand {
  /** Lower-case name without the slash or @bot suffix. */
  name: string;
  /** Everything after the name, trimmed; may span lines. */
  args: string;
  /** true for «статус N» / «мои обращения» written without a slash. */
  phrase: boolean;
  /** The bot a `/name@bot` command is addressed to, as written; absent without a suffix. */
  bot?: string;
}

/** The command in `text`, or null when the text is not one. */
export function parseCommand(text: string): ParsedCommand | null {
  const trimmed = text.trim();
  const slash = /^\/([A-Za-z_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/.exec(trimmed);
  if (slash) return { name: slash[1]!.toLowerCase(), args: (slash[3] ?? '').trim(), phrase: false, ...(slash[2] ? { bot: slash[2] } : {}) };
  const status = /^статус\s*(?:обращения\s*)?№?\s*(\d{1,12})[.!?]?$/iu.exec(trimmed);
  if (status) return { name: 'status', args: status[1]!, phrase: true };
  if (/^мои\s+обращения[.!?]?$/iu.test(trimmed)) return { name: 'mine', args: '', phrase: true };
  return null;
}

export type NumberArg = { ok: true; id: number; rest: string } | { ok: false; reason: 'missing' | 'invalid'; given: string };

/** The incident number at the start of `args` («12», «№12», «#12») and the rest. */
export function takeIncidentNumber(args: string): NumberArg {
  const first = /^(\S+)\s*([\s\S]*)$/.exec(args.trim());
  if (!first) return { ok: false, reason: 'missing', given: '' };
  const token = first[1]!;
  const number = /^[№#]?(\d{1,12})$/.exec(token);
  if (!number) return { ok: false, reason: 'invalid', given: token };
  const id = Number(number[1]);
  if (id <= 0 || !Number.isSafeInteger(id)) return { ok: false, reason: 'invalid', given: token };
  return { ok: true, id, rest: first[2]!.trim() };
}
