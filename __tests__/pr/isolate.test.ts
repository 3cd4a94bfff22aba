import { describe, expect, it } from 'vitest';
import { isolateRefused } from '../../src/pr/isolate.js';

/** A judge that refuses any group holding one of `bad`, and records the groups it was asked about. */
function judge(bad: string[]) {
  const asked: string[][] = [];
  return {
    asked,
    accepts: (group: string[]) => {
      asked.push(group);
      return Promise.resolve(!group.some((item) => bad.includes(item)));
    },
  };
}

const items = (count: number) => Array.from({ length: count }, (_, index) => `c${index}`);

describe('isolateRefused', () => {
  it.each([
    { count: 1, bad: ['c0'], questions: 0 },
    { count: 2, bad: ['c1'], questions: 1 },
    { count: 4, bad: ['c2'], questions: 3 },
    { count: 25, bad: ['c13'], questions: 6 },
    { count: 25, bad: ['c0'], questions: 6 },
    { count: 6, bad: ['c0', 'c5'], questions: 6 },
    { count: 2, bad: ['c0', 'c1'], questions: 2 },
  ])('$count items, refused $bad: found with $questions questions', async ({ count, bad, questions }) => {
    const all = items(count);
    const { asked, accepts } = judge(bad);
    const result = await isolateRefused(all, accepts, 10);
    expect(result.refused).toEqual(bad);
    expect(result.accepted).toEqual(all.filter((item) => !bad.includes(item)));
    expect(result.questions).toBe(questions);
    expect(asked).toHaveLength(questions);
    expect(result.error).toBeUndefined();
  });

  it('never asks more than allowed; what is undecided then counts as refused', async () => {
    const all = items(8);
    const { asked, accepts } = judge(all);
    const result = await isolateRefused(all, accepts, 3);
    expect(asked).toHaveLength(3);
    expect(result.accepted).toEqual([]);
    expect(result.refused).toEqual(all);
  });

  it('keeps what was accepted before the questions ran out', async () => {
    const all = items(8);
    const { accepts } = judge(['c7']);
    const result = await isolateRefused(all, accepts, 1);
    // One question: the first half is fine; the other half stays undecided.
    expect(result.accepted).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(result.refused).toEqual(['c4', 'c5', 'c6', 'c7']);
  });

  it('stops at a question that throws, with its error, and counts the undecided as refused', async () => {
    const all = items(4);
    const failure = new Error('HTTP 502');
    let calls = 0;
    const result = await isolateRefused(
      all,
      (group) => {
        calls += 1;
        return calls === 1 ? Promise.resolve(group.includes('c0') === false) : Promise.reject(failure);
      },
      10,
    );
    expect(calls).toBe(2);
    expect(result.error).toBe(failure);
    expect(result.accepted).toEqual([]);
    expect(result.refused).toEqual(all);
  });

  it('asks nothing about nothing', async () => {
    const { asked, accepts } = judge([]);
    expect(await isolateRefused([], accepts, 5)).toEqual({ accepted: [], refused: [], questions: 0 });
    expect(asked).toEqual([]);
  });
});
