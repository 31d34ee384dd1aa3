import { describe, expect, it } from 'vitest';
import { jsonShape } from './json-limits.ts';

const big = { maxDepth: 1000, maxValues: 1_000_000 };

describe('jsonShape', () => {
  it('measures nesting and values, ignoring brackets inside strings and escaped quotes', () => {
    expect(jsonShape('{"a":[1,{"b":"[[[{{{"}]}', big)).toEqual({ depth: 3, values: 6 });
    expect(jsonShape('{"a":"x\\"[[[","b":[]}', big).depth).toBe(2);
    expect(jsonShape('1', big)).toEqual({ depth: 0, values: 0 });
  });

  it('stops as soon as a limit is passed', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(jsonShape(deep, { maxDepth: 64, maxValues: 1e9 }).depth).toBe(65);
    expect(jsonShape(`[${'1,'.repeat(5000)}1]`, { maxDepth: 64, maxValues: 100 }).values).toBe(101);
  });
});
