import { describe, expect, test, vi } from 'vitest';
import { makeException } from './fixtures';
import { renderConsole } from './render-console';

/** What the console handed the browser to save: the file's name and text. */
function captureDownloads() {
  const saved: { name: string; text: Promise<string> }[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, text: blobs.get(this.href)!.text() });
  });
  return saved;
}

describe('every table exports to CSV', () => {
  test('the whole filtered list, fetched from the engine page by page, with the values themselves', async () => {
    const saved = captureDownloads();
    const { api, screen } = await renderConsole(
      (a) =>
        (a.exceptions = Array.from({ length: 650 }, (_, i) =>
          makeException({ id: i + 1, record: { type: 'order', key: `${String(i + 1).padStart(9, '0')}-A` }, summary: `Problem, "quoted" ${i + 1}` }),
        )),
      { hash: '#/exceptions' },
    );
    await expect.element(screen.getByTestId('exception-1')).toBeVisible();
    await screen.getByRole('button', { name: 'Export CSV of the exceptions' }).click();
    await expect.poll(() => saved.length).toBe(1);
    expect(saved[0]!.name).toMatch(/^exceptions-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await saved[0]!.text)
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    // A header and every one of the 650 rows, though the screen had loaded only its first page.
    expect(lines).toHaveLength(651);
    expect(lines[0]).toBe('Severity,Kind,Flow,Type,Record,Summary,Seen,Last seen,Deadline,State');
    expect(lines[1]).toContain('order 000000001-A,"Problem, ""quoted"" 1"');
    expect(
      api
        .queriesNamed('exceptions.list')
        .filter((r) => r.limit === 500)
        .map((r) => r.offset),
    ).toEqual([0, 500]);
    await expect.element(screen.getByText('650 rows exported')).toBeVisible();
  });
});
