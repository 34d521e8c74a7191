import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bounded, RAW_ERROR_MAX, SUMMARY_MAX } from '../../electron/engine/flow-context';
import { clipText, inSentence } from '../../shared/domain/text';
import { customerText, RUNS, wellFormed } from './arbitraries';

const graphemes = (s: string) => [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(s)].map((g) => g.segment);

describe('text cut to a size (SAP fields, sentences, exceptions)', () => {
  it('clipText: a start of the text, within the size, never half a character, and the longest such start', () => {
    fc.assert(
      fc.property(customerText, fc.integer({ min: 0, max: 120 }), (text, max) => {
        const cut = clipText(text, max);
        expect(text.startsWith(cut)).toBe(true);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(wellFormed(cut)).toBe(true);
        // Whole characters only, and one more would not fit.
        const parts = graphemes(text);
        const taken = graphemes(cut);
        expect(taken).toEqual(parts.slice(0, taken.length));
        if (taken.length < parts.length) expect(cut.length + parts[taken.length]!.length).toBeGreaterThan(max);
      }),
      RUNS,
    );
  });

  it('clipText leaves text that fits as it is', () => {
    fc.assert(
      fc.property(customerText, (text) => {
        expect(clipText(text, text.length)).toBe(text);
      }),
      RUNS,
    );
  });

  it('inSentence: a short value as it is, a long one by its start and its length, never longer than the start and the note', () => {
    fc.assert(
      fc.property(customerText, fc.integer({ min: 20, max: 100 }), (text, max) => {
        const named = inSentence(text, max);
        if (text.length <= max) expect(named).toBe(text);
        else {
          expect(named).toMatch(new RegExp(`… \\(${text.length} characters\\)$`));
          expect(named.length).toBeLessThanOrEqual(20 + `… (${text.length} characters)`.length);
          expect(wellFormed(named)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('an exception’s summary and raw error are bounded whatever a record carries, and say how long they were', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3_000 }), fc.constantFrom(SUMMARY_MAX, RAW_ERROR_MAX, 50), (text, max) => {
        const out = bounded(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(wellFormed(out)).toBe(true);
        if (text.length <= max) expect(out).toBe(text);
        else expect(out).toMatch(new RegExp(`\\(${text.length} characters in all\\)$`));
      }),
      RUNS,
    );
  });
});
