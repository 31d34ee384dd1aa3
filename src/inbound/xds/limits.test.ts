import { describe, expect, it } from 'vitest';
import { exceededLimit } from './limits.ts';

const limits = { maxDepth: 3, maxElements: 5 };

describe('XML cost limits, one linear pass', () => {
  it('counts depth and elements; empty elements do not nest', () => {
    expect(exceededLimit('<a><b><c/></b></a>', limits)).toBeUndefined();
    expect(exceededLimit('<a><b><c><d/></c></b></a>', limits)).toBeUndefined();
    expect(exceededLimit('<a><b><c><d></d></c></b></a>', limits)?.limit).toBe('depth');
    expect(exceededLimit('<a><b/><b/><b/><b/><b/></a>', limits)?.limit).toBe('elements');
  });

  it('comments, CDATA, processing instructions and quoted ">" or "/>" are not elements', () => {
    const text =
      '<?xml version="1.0"?><a x="1>2" y=\'/>\'><!-- <b><b><b><b> --><![CDATA[<c><c><c><c><c><c>]]><?pi <d>?></a>';
    expect(exceededLimit(text, limits)).toBeUndefined();
  });

  it('a declaration is skipped, not counted (the readers refuse it)', () => {
    expect(exceededLimit('<!DOCTYPE a><a><b><c/></b></a>', limits)).toBeUndefined();
  });

  it('stops on an unterminated tail without looping', () => {
    expect(exceededLimit('<a><b attr="never closed', limits)).toBeUndefined();
    expect(exceededLimit('<a><!-- open', limits)).toBeUndefined();
  });
});
