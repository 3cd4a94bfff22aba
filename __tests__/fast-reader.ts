/** Helpers that hold the fast reader (js-yaml with recorded offsets) to the full parser. */
import { type Document, parseAllDocuments } from 'yaml';
import { expect } from 'vitest';
import type { LoadResult, LoadedObject } from '../src/core/load.js';
import { treeOfParsed } from '../src/core/full-read.js';
import type { TreeDocument } from '../src/core/tree.js';

/** What a load gives, in a form two loads can be compared in. */
export function comparable(result: LoadResult) {
  return {
    documents: result.documents,
    inert: result.inert,
    errors: result.errors,
    notices: result.notices,
    objects: result.objects.map((object: LoadedObject) => ({
      basePath: object.basePath,
      docIndex: object.docIndex,
      itemIndex: object.itemIndex,
      value: object.value,
      // Document bounds differ by design (a whole-file parse starts a document at its marker); nodes do not.
      doc: { contents: object.doc.contents, value: object.doc.value },
    })),
  };
}

/** The full parser's reading of a document the fast reader read: one document, no error, the same tree and data. */
export function expectFullReadingAgrees(text: string, doc: TreeDocument): void {
  const docs = parseAllDocuments(text.slice(doc.start, doc.end), {
    version: '1.1',
    uniqueKeys: true,
    logLevel: 'error',
  }) as Document.Parsed[];
  const context = JSON.stringify(text.slice(doc.start, doc.end));
  expect(Array.isArray(docs) ? docs.length : 1, context).toBe(1);
  const [parsed] = docs;
  expect(parsed!.errors, context).toEqual([]);
  const value: unknown = parsed!.toJS({ maxAliasCount: 1000 });
  expect(doc.value, context).toStrictEqual(value);
  expect(doc.contents, context).toStrictEqual(treeOfParsed(parsed!, text, doc.start, value).contents);
}
