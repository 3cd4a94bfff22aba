/**
 * JSON written in pieces: the text `JSON.stringify(value, null, 2)` gives, but with one array of `value` (the findings
 * of a report, tens of thousands of them) written an element at a time, so that neither the whole text nor the whole
 * tree of objects is ever held at once.
 */

/**
 * The pieces of `JSON.stringify(skeleton, null, 2)` with `skeleton[key]`, an empty array, standing for `items`, each
 * item turned into its JSON value by `toJson` when its piece is made. An item's piece ends with the line break after
 * it: a report is cut between pieces (see `core/redact-pieces.ts`). `key` must name one empty array in the skeleton's
 * text: as `"key": []` with its quotes unescaped, it cannot occur inside a string.
 */
export function* jsonPieces<T>(
  skeleton: object,
  key: string,
  items: readonly T[],
  toJson: (item: T) => unknown,
): Generator<string> {
  const whole = JSON.stringify(skeleton, null, 2);
  const placeholder = `${JSON.stringify(key)}: []`;
  const at = whole.indexOf(placeholder);
  if (at === -1 || whole.indexOf(placeholder, at + 1) !== -1)
    throw new Error(`the skeleton must hold one empty array ${placeholder}`);
  const head = whole.slice(0, at + placeholder.length - 2);
  const tail = whole.slice(at + placeholder.length);
  if (items.length === 0) {
    yield `${head}[]${tail}`;
    return;
  }
  // The array's elements are indented one step deeper than the line its key is on.
  const indent = /^ */.exec(head.slice(head.lastIndexOf('\n') + 1))![0];
  const inner = `${indent}  `;
  yield `${head}[\n`;
  for (let index = 0; index < items.length; index++) {
    // Line breaks in JSON text are all its own (a string's are escaped), so each starts a line to indent.
    const json = (JSON.stringify(toJson(items[index]!), null, 2) ?? 'null').replace(/\n/g, `\n${inner}`);
    yield `${inner}${json}${index < items.length - 1 ? ',' : ''}\n`;
  }
  yield `${indent}]${tail}`;
}
