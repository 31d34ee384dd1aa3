/** Value coding of ITI-18 stored query parameters (ITI TF-2a §3.18.4.1.2.3.5). */
import { describe, expect, it } from 'vitest';
import { codedParam, paramValues } from './iti18-query.ts';

describe('paramValues', () => {
  it('reads single quoted values and lists, across several rim:Value', () => {
    expect(paramValues(["'1.2.3'"])).toEqual(['1.2.3']);
    expect(paramValues(["('a', 'b')", "('c')"])).toEqual(['a', 'b', 'c']);
    expect(paramValues(['(  )'])).toEqual([]);
    expect(paramValues(undefined)).toEqual([]);
  });

  it('keeps commas and escaped quotes inside a quoted value', () => {
    expect(paramValues(["('O''Brien, J', 'x')"])).toEqual(["O'Brien, J", 'x']);
  });

  it('reads a CX patient id with its & and ^ unchanged', () => {
    expect(paramValues(["'279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH'"])).toEqual([
      '279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH',
    ]);
  });
});

describe('codedParam', () => {
  it('splits code^^scheme', () => {
    expect(codedParam('11488-4^^2.16.840.1.113883.6.1')).toEqual({
      code: '11488-4',
      scheme: '2.16.840.1.113883.6.1',
    });
    expect(codedParam('11488-4')).toBeUndefined();
    expect(codedParam('a^^b^c')).toBeUndefined();
  });
});
