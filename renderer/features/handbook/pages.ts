import { useEffect, useState } from 'react';

export type HandbookPages = Record<string, { title: string; html: string }>;

let loading: Promise<HandbookPages> | null = null;

/** The handbook's pages, fetched from the console's own files the first time the handbook opens (no network). */
function loadPages(): Promise<HandbookPages> {
  loading ??= import('virtual:handbook').then(
    (m) => m.pages,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** The pages once loaded; null meanwhile; an Error when they could not be read (a broken install). */
export function useHandbookPages(): HandbookPages | Error | null {
  const [pages, setPages] = useState<HandbookPages | Error | null>(null);
  useEffect(() => {
    let live = true;
    loadPages().then(
      (p) => live && setPages(p),
      (e: unknown) => live && setPages(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
  }, []);
  return pages;
}
