const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest start of `text` that fits in `max` UTF-16 units (how SAP's NVARCHAR fields count) without cutting a
 * character in two: never half a surrogate pair (an emoji), never part of a combined character (é as e + ◌́, 👩‍👩‍👧).
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (index + segment.length > max) break;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/**
 * A value another system sent, as a sentence names it: as it is when short, else by its start and its length, so a
 * 100,000-character SKU never becomes a 100,000-character exception.
 */
export function inSentence(value: string, max = 60): string {
  if (value.length <= max) return value;
  return `${clipText(value, 20)}… (${value.length} characters)`;
}
