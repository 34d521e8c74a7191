import { useEffect, useRef } from 'react';
import type { Tab } from '../store/ui-slice';
import { consoleAddress } from '../../shared/domain/console-address';

/** The record an address names on a screen: `#/orders/000000105-A` → '000000105-A'; null for the screen alone. */
export function recordFromHash(hash: string, tab: Tab): string | null {
  const [screen, ...rest] = hash.replace(/^#\/?/, '').split('/');
  if (screen !== tab || rest.length === 0 || !rest.join('/')) return null;
  try {
    return decodeURIComponent(rest.join('/'));
  } catch {
    return null;
  }
}

export const recordAddress = (tab: Tab, id: string | null): string => consoleAddress(tab, id);

/** A key pressed in a text field, a list or an editable area is the field's, not a shortcut of the screen's. */
export const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Gives the record open on a screen an address of its own, so it can be bookmarked, reloaded or sent to a colleague:
 * an address naming a record opens it, opening or closing one writes the address, and Escape closes it.
 */
export function useRecordAddress(tab: Tab, openId: string | null, open: (id: string | null) => void): void {
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  });

  useEffect(() => {
    const follow = () => {
      const named = recordFromHash(location.hash, tab);
      if (named !== null) openRef.current(named);
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [tab]);

  useEffect(() => {
    const address = recordAddress(tab, openId);
    // Only while this screen is the one shown: a screen being left does not write over the next one's address.
    if (location.hash.replace(/^#\/?/, '').split('/')[0] === tab && location.hash !== address) history.replaceState(null, '', address);
  }, [tab, openId]);

  useEffect(() => {
    if (openId === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && !typingIn(e.target)) openRef.current(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId]);
}
