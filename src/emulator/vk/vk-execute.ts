import { VkApiError } from './vk-state.js';

/**
 * The subset of VKScript the emulator runs: `return <expr>;` where <expr> is an
 * API call `API.section.method({...})`, an array or object of expressions, or a
 * JSON-like literal (object keys may be unquoted, strings single- or double-quoted).
 * That covers vk-io's own batching (`return [API.a.b({...}),…];`) and hand-written
 * batches. Variables, loops and operators are not supported and answer error 12.
 */
export type VkScriptExpr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'array'; items: VkScriptExpr[] }
  | { kind: 'object'; entries: [string, VkScriptExpr][] }
  | { kind: 'call'; method: string; args: VkScriptExpr | undefined };

/** VK's limit of API calls in one execute. */
export const MAX_EXECUTE_CALLS = 25;

const compileError = (detail: string): VkApiError => new VkApiError(12, `Unable to compile code: ${detail}`);

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseProgram(): VkScriptExpr {
    this.skipSpace();
    if (!this.src.startsWith('return', this.pos) || /[\w$]/.test(this.src[this.pos + 6] ?? '')) {
      throw compileError(`expected 'return' at position ${this.pos}`);
    }
    this.pos += 6;
    const expr = this.parseExpr();
    this.skipSpace();
    if (this.src[this.pos] === ';') this.pos += 1;
    this.skipSpace();
    if (this.pos < this.src.length) throw compileError(`unexpected '${this.src[this.pos]}' at position ${this.pos}`);
    return expr;
  }

  private skipSpace(): void {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos += 1;
      if (this.src.startsWith('//', this.pos)) {
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.src.length : end;
      } else if (this.src.startsWith('/*', this.pos)) {
        const end = this.src.indexOf('*/', this.pos);
        if (end === -1) throw compileError('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) throw compileError(`expected '${ch}' at position ${this.pos}`);
    this.pos += 1;
  }

  private parseExpr(): VkScriptExpr {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === '[') return this.parseArray();
    if (ch === '{') return this.parseObject();
    if (ch === '"' || ch === "'") return { kind: 'literal', value: this.parseString() };
    if (ch !== undefined && /[-\d.]/.test(ch)) return { kind: 'literal', value: this.parseNumber() };
    const word = this.parseWord();
    if (word === 'true') return { kind: 'literal', value: true };
    if (word === 'false') return { kind: 'literal', value: false };
    if (word === 'null') return { kind: 'literal', value: null };
    if (word === 'API') return this.parseCall();
    throw compileError(word === '' ? `unexpected '${ch ?? 'end of code'}' at position ${this.pos}` : `unsupported identifier '${word}'`);
  }

  private parseWord(): string {
    const match = /^[A-Za-z_$][\w$]*/.exec(this.src.slice(this.pos));
    if (!match) return '';
    this.pos += match[0].length;
    return match[0];
  }

  private parseCall(): VkScriptExpr {
    const parts: string[] = [];
    while (this.src[this.pos] === '.') {
      this.pos += 1;
      const part = this.parseWord();
      if (!part) throw compileError(`expected a method name at position ${this.pos}`);
      parts.push(part);
    }
    if (parts.length !== 2) throw compileError('expected API.section.method');
    this.expect('(');
    this.skipSpace();
    let args: VkScriptExpr | undefined;
    if (this.src[this.pos] !== ')') args = this.parseExpr();
    this.expect(')');
    return { kind: 'call', method: parts.join('.'), args };
  }

  private parseArray(): VkScriptExpr {
    this.pos += 1;
    const items: VkScriptExpr[] = [];
    this.skipSpace();
    if (this.src[this.pos] === ']') {
      this.pos += 1;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.parseExpr());
      this.skipSpace();
      const ch = this.src[this.pos];
      this.pos += 1;
      if (ch === ']') return { kind: 'array', items };
      if (ch !== ',') throw compileError(`expected ',' or ']' at position ${this.pos - 1}`);
    }
  }

  private parseObject(): VkScriptExpr {
    this.pos += 1;
    const entries: [string, VkScriptExpr][] = [];
    this.skipSpace();
    if (this.src[this.pos] === '}') {
      this.pos += 1;
      return { kind: 'object', entries };
    }
    for (;;) {
      this.skipSpace();
      const ch = this.src[this.pos];
      const key = ch === '"' || ch === "'" ? this.parseString() : this.parseWord();
      if (!key) throw compileError(`expected a key at position ${this.pos}`);
      this.expect(':');
      entries.push([key, this.parseExpr()]);
      this.skipSpace();
      const next = this.src[this.pos];
      this.pos += 1;
      if (next === '}') return { kind: 'object', entries };
      if (next !== ',') throw compileError(`expected ',' or '}' at position ${this.pos - 1}`);
    }
  }

  private parseString(): string {
    const quote = this.src[this.pos];
    let out = '';
    this.pos += 1;
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos] ?? '';
      this.pos += 1;
      if (ch === quote) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.src[this.pos] ?? '';
      this.pos += 1;
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"', "'": "'" };
      if (esc === 'u') {
        const hex = this.src.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw compileError(`bad \\u escape at position ${this.pos}`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 4;
      } else {
        out += simple[esc] ?? esc;
      }
    }
    throw compileError('unterminated string');
  }

  private parseNumber(): number {
    const match = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.src.slice(this.pos));
    if (!match) throw compileError(`bad number at position ${this.pos}`);
    this.pos += match[0].length;
    return Number(match[0]);
  }
}

export function parseVkScript(code: string): VkScriptExpr {
  return new Parser(code).parseProgram();
}

export function countCalls(expr: VkScriptExpr): number {
  switch (expr.kind) {
    case 'literal':
      return 0;
    case 'array':
      return expr.items.reduce((n, e) => n + countCalls(e), 0);
    case 'object':
      return expr.entries.reduce((n, [, e]) => n + countCalls(e), 0);
    case 'call':
      return 1 + (expr.args ? countCalls(expr.args) : 0);
  }
}

/** Runs the calls in source order, the way VK runs an execute body. */
export async function evaluateVkScript(expr: VkScriptExpr, call: (method: string, params: Record<string, unknown>) => Promise<unknown>): Promise<unknown> {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'array': {
      const out: unknown[] = [];
      for (const item of expr.items) out.push(await evaluateVkScript(item, call));
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of expr.entries) out[key] = await evaluateVkScript(value, call);
      return out;
    }
    case 'call': {
      const args = expr.args ? await evaluateVkScript(expr.args, call) : {};
      if (!args || typeof args !== 'object' || Array.isArray(args)) {
        throw new VkApiError(13, 'Runtime error occurred during code invocation: method arguments must be an object');
      }
      return call(expr.method, args as Record<string, unknown>);
    }
  }
}
