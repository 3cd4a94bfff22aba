/**
 * How a second thread gets the texts of a scan (see `second-thread.ts`): as UTF-8 in memory both threads share, each
 * text decoded by the thread when its tasks ask for it.
 */

/**
 * How the texts travel: each text's length in UTF-8 bytes in the shared memory, or -1 for one sent as it is (in
 * `strings`): a text that is not well-formed UTF-16 would not come back the same from UTF-8.
 */
export interface TextPlan {
  lengths: Int32Array;
  strings: Array<string | null>;
  bytes: number;
}

export function planTexts(texts: readonly string[]): TextPlan {
  const lengths = new Int32Array(texts.length);
  const strings = new Array<string | null>(texts.length).fill(null);
  let bytes = 0;
  texts.forEach((text, index) => {
    if (isWellFormed(text)) {
      lengths[index] = Buffer.byteLength(text, 'utf8');
      bytes += lengths[index]!;
    } else {
      lengths[index] = -1;
      strings[index] = text;
    }
  });
  return { lengths, strings, bytes };
}

/** Writes the texts `plan` puts in shared memory into `memory`, one after another. */
export function writeTexts(texts: readonly string[], plan: TextPlan, memory: SharedArrayBuffer): void {
  const buffer = Buffer.from(memory);
  let at = 0;
  texts.forEach((text, index) => {
    if (plan.lengths[index]! >= 0) at += buffer.write(text, at, 'utf8');
  });
}

/**
 * The texts as the thread reads them from `memory`: each decoded when asked, and kept until another is (its tasks come
 * a text at a time), so the thread holds one text rather than all.
 */
export function textReader(
  plan: Omit<TextPlan, 'bytes'>,
  memory: SharedArrayBuffer,
): (index: number) => string {
  const starts = new Array<number>(plan.lengths.length);
  let at = 0;
  plan.lengths.forEach((length, index) => {
    starts[index] = at;
    if (length > 0) at += length;
  });
  let last = -1;
  let lastText = '';
  return (index) => {
    if (index === last) return lastText;
    const length = plan.lengths[index]!;
    lastText =
      length < 0 ? plan.strings[index]! : Buffer.from(memory, starts[index], length).toString('utf8');
    last = index;
    return lastText;
  };
}

/** `String.prototype.isWellFormed`, which ES2023's library does not declare. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
