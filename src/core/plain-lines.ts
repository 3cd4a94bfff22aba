/**
 * Plain scalars folded over several lines, the way kubectl and kustomize write long arguments:
 *
 *     args:
 *     - /bin/cp /usr/local/bin/argocd /var/run/argocd/argocd && /bin/ln -sf /var/run/argocd/argocd
 *       /var/run/argocd/argocd-cmp-server
 *
 * YAML continues such a scalar on each following line indented deeper than the block collection that holds it; one
 * line break between two lines reads as a space, each blank line as a line break. js-yaml folds the same way but
 * decides where the scalar ends by its own indentation rules, which differ from YAML's at the top level and in flow
 * collections. The fast reader keeps only scalars both parsers read alike: in a block collection, every continuation
 * line deeper than that collection, and not a key (YAML keys are one line). Anything else goes the full way.
 */
import { COLON, CR, HASH, LF, SPACE, columnOf, skipSeparation, skipSpaces } from './yaml-text.js';

/**
 * Whether the plain scalar at [start, end) of `source`, which spans lines, is one the fast reader models. `opened` are
 * the nodes around it, innermost last, with the positions where js-yaml opened them.
 */
export function foldedPlainModelled(
  source: string,
  start: number,
  end: number,
  opened: ReadonlyArray<{ open: number }>,
): boolean {
  const column = enclosingColumn(source, start, opened);
  if (column < 0) return false;
  if (source.charCodeAt(skipSpaces(source, end)) === COLON) return false;
  for (let at = source.indexOf('\n', start); at !== -1 && at < end; at = source.indexOf('\n', at + 1)) {
    let first = at + 1;
    while (source.charCodeAt(first) === SPACE) first++;
    const code = source.charCodeAt(first);
    if (code === LF || code === CR) continue;
    if (code === HASH || first - (at + 1) <= column) return false;
  }
  return true;
}

/**
 * The column of the block collection holding the node at `start`, or -1 when it is not in one (a top-level scalar) or
 * is in a flow collection. js-yaml opens a node more than once where it looks for a mapping first; those openings
 * start where the node does and are passed over.
 */
function enclosingColumn(source: string, start: number, opened: ReadonlyArray<{ open: number }>): number {
  for (let index = opened.length - 1; index >= 0; index--) {
    const at = skipSeparation(source, opened[index]!.open);
    if (at === start) continue;
    const code = source.charCodeAt(at);
    return code === 0x7b /* { */ || code === 0x5b /* [ */ ? -1 : columnOf(source, at);
  }
  return -1;
}
