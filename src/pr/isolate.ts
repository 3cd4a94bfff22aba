export interface Isolated<T> {
  /** Items a question answered yes for, in their original order. */
  accepted: T[];
  /** Items found refused, and those left undecided (out of questions, or a question failed), in their original order. */
  refused: T[];
  /** How many questions were asked. */
  questions: number;
  /** The error a question threw, which ended the search. */
  error?: unknown;
}

/**
 * Tells the items a judge accepts from those it refuses, when the judge only answers for a whole group and is known
 * to refuse `items` as a whole (GitHub refusing a review for one comment it does not name). A refused group is
 * halved until the refused item is alone; the halves left aside on the way are asked about together afterwards, as
 * they are most likely fine: one refused item among n takes about log2(n) + 1 questions. At most `maxQuestions` are
 * asked; what is still undecided then counts as refused, and so does everything undecided when a question throws.
 */
export async function isolateRefused<T>(
  items: readonly T[],
  accepts: (group: T[]) => Promise<boolean>,
  maxQuestions: number,
): Promise<Isolated<T>> {
  const order = new Map(items.map((item, index) => [item, index]));
  const accepted = new Set<T>();
  /** Groups nothing is known about yet. */
  let asideGroups: T[][] = [];
  let questions = 0;
  let error: unknown;
  let failed = false;

  /** Yes, no, or undefined when no question may be asked any more. */
  const ask = async (group: T[]): Promise<boolean | undefined> => {
    if (failed || questions >= maxQuestions) return undefined;
    questions += 1;
    try {
      return await accepts(group);
    } catch (caught) {
      failed = true;
      error = caught;
      return undefined;
    }
  };
  /** Halves `group`, which holds at least one refused item, down to that item. */
  const narrow = async (group: T[]): Promise<void> => {
    while (group.length > 1) {
      const half = Math.ceil(group.length / 2);
      const first = group.slice(0, half);
      const second = group.slice(half);
      const answer = await ask(first);
      if (answer === undefined) return;
      if (answer) {
        for (const item of first) accepted.add(item);
        group = second;
      } else {
        asideGroups.push(second);
        group = first;
      }
    }
  };

  await narrow([...items]);
  while (asideGroups.length > 0 && !failed && questions < maxQuestions) {
    const aside = asideGroups.flat().sort((a, b) => order.get(a)! - order.get(b)!);
    asideGroups = [];
    const answer = await ask(aside);
    if (answer === true) for (const item of aside) accepted.add(item);
    else if (answer === false) await narrow(aside);
  }
  return {
    accepted: items.filter((item) => accepted.has(item)),
    refused: items.filter((item) => !accepted.has(item)),
    questions,
    ...(failed ? { error } : {}),
  };
}
