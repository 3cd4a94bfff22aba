/** Small scans over YAML text that both tree producers and the fast reader's checks share. */

export const SPACE = 0x20;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const HASH = 0x23;
export const COLON = 0x3a;
export const DASH = 0x2d;

export function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

/** Past spaces, line breaks and comment lines: where the next node's content starts. */
export function skipSeparation(text: string, position: number): number {
  let at = position;
  for (;;) {
    const code = text.charCodeAt(at);
    if (isBlank(code)) at++;
    else if (code === HASH && (at === 0 || isBlank(text.charCodeAt(at - 1)))) {
      const next = text.indexOf('\n', at);
      if (next === -1) return text.length;
      at = next + 1;
    } else return at;
  }
}

/** Back over spaces and line breaks: just after the last character before `position`. */
export function trimBack(text: string, position: number, floor: number): number {
  let at = position;
  while (at > floor && isBlank(text.charCodeAt(at - 1))) at--;
  return at;
}

/** Past spaces and tabs on the same line. */
export function skipSpaces(text: string, position: number): number {
  let at = position;
  while (text.charCodeAt(at) === SPACE || text.charCodeAt(at) === TAB) at++;
  return at;
}

/** The 0-based column of `position`: its distance from the start of its line. */
export function columnOf(text: string, position: number): number {
  return position - (text.lastIndexOf('\n', position - 1) + 1);
}

/** The offset of the first carriage return that no line feed follows (a line break of its own), or -1. */
export function loneCarriageReturn(text: string): number {
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) {
    if (text.charCodeAt(at + 1) !== LF) return at;
  }
  return -1;
}
