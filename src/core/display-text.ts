/**
 * Text from the scanned repository (file names, resource names, messages quoting them, the output of helm and
 * kustomize) made safe to show a person. Two kinds of characters act on the display instead of being read:
 *
 * - control characters: on a terminal, ESC starts a sequence that can move the cursor, clear a line or recolour what
 *   follows (a resource named `\u001b[2K\r✔ No findings` would erase a finding and print a clean result), and CR, BS
 *   and the C1 controls (U+0080 to U+009F, CSI among them) do much the same;
 * - bidirectional formatting controls ("Trojan Source", CVE-2021-42574): on a page or a terminal, they reorder the
 *   text around them, so a name or a path reads as something it is not.
 *
 * Both are written as visible escapes, `\u001b` or `\u202e`, as JavaScript and JSON write them: the reader sees that
 * something is there and which character it is, and the escape itself does nothing. Where the output is JSON, that
 * escape is the same string once parsed.
 */

/** U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069: the marks, embeddings, overrides and isolates. */
const BIDI_CONTROLS = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const BIDI = new RegExp(`[${BIDI_CONTROLS}]`, 'gu');
const ANY_BIDI = new RegExp(`[${BIDI_CONTROLS}]`, 'u');
/** C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional controls. */
const DISPLAY_CONTROLS = new RegExp(`[\\p{Cc}\\u2028\\u2029${BIDI_CONTROLS}]`, 'gu');
/** The same but for the line feed, which `terminalLines` keeps. */
const DISPLAY_CONTROLS_BUT_LF = new RegExp(`(?!\\n)[\\p{Cc}\\u2028\\u2029${BIDI_CONTROLS}]`, 'gu');
/** The same but for the tab, which renders as a blank in Markdown. */
const DISPLAY_CONTROLS_BUT_TAB = new RegExp(`(?!\\t)[\\p{Cc}\\u2028\\u2029${BIDI_CONTROLS}]`, 'gu');
/** What JSON.stringify leaves unescaped of DISPLAY_CONTROLS: DEL, the C1 controls, the separators, bidi. */
const JSON_UNESCAPED = new RegExp(`[\\u007f-\\u009f\\u2028\\u2029${BIDI_CONTROLS}]`, 'gu');

/** `\u202e`: one character as a visible escape. */
export function visibleEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Whether `text` holds a bidirectional control. */
export function hasBidiControls(text: string): boolean {
  return ANY_BIDI.test(text);
}

/** Text with its bidirectional controls as visible escapes, for Markdown and anything else rendered for a reader. */
export function withoutBidiControls(text: string): string {
  return text.replace(BIDI, visibleEscape);
}

/**
 * Repository text for rendered Markdown, after its line breaks became spaces: control characters (but the tab, a
 * blank there) and bidirectional controls as visible escapes.
 */
export function withoutControls(text: string): string {
  return text.replace(DISPLAY_CONTROLS_BUT_TAB, visibleEscape);
}

/**
 * Repository text for one line of a terminal or a log: every control character (line breaks and ESC included),
 * line separator and bidirectional control as a visible escape. Only the caller's own text, colour codes included,
 * reaches the terminal as it is.
 */
export function terminalText(text: string): string {
  return text.replace(DISPLAY_CONTROLS, visibleEscape);
}

/**
 * Repository text of several lines (helm's error output, say) for a terminal or a log: as `terminalText`, but line
 * feeds stay, each following line starting with `indent` so that none can pass for a line of the tool's own.
 */
export function terminalLines(text: string, indent: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(DISPLAY_CONTROLS_BUT_LF, visibleEscape)
    .replace(/\n/g, `\n${indent}`);
}

/**
 * JSON text (a report) with the characters a terminal or a reader would act on written as `\u` escapes. JSON writes
 * C0 controls that way already; DEL, C1, separators and bidirectional controls can only occur inside its strings, so
 * the escaped text parses to the same value.
 */
export function jsonDisplayText(json: string): string {
  return json.replace(JSON_UNESCAPED, visibleEscape);
}
