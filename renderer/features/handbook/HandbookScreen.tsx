import { useLayoutEffect, useRef } from 'react';
import { HANDBOOK_HOME, handbookAddress, type HandbookPlace } from '../../../shared/domain/handbook-address';
import { useConsole } from '../../store/react';
import { useHandbookPages } from './pages';
import './handbook.css';

const HEADING = 'h1, h2, h3, h4, h5, h6';

/**
 * The heading a section's anchor names: the heading itself, or the one an `<a id>` written just before it introduces
 * (markdown puts such an anchor in a paragraph of its own).
 */
function sectionHeading(target: Element): HTMLElement | null {
  if (target.matches(HEADING)) return target as HTMLElement;
  const alone = target.parentElement?.matches('p') && target.parentElement.textContent?.trim() === '' ? target.parentElement : target;
  const next = alone.nextElementSibling;
  return next?.matches(HEADING) ? (next as HTMLElement) : null;
}

/**
 * The handbook inside the console: the page an address names (`#/handbook/operations/exceptions.md#orders-sku-unknown`),
 * scrolled to its section. Its links to other pages are console addresses, so they open here too; links to the web open
 * in the browser. It is the docs/ of this build, so it works without a network.
 */
export function HandbookScreen({ place }: { place: HandbookPlace }) {
  const pages = useHandbookPages();
  const article = useRef<HTMLElement>(null);
  const tab = useConsole((s) => s.ui.tab);
  const setTab = useConsole((s) => s.setTab);
  const page = pages && !(pages instanceof Error) ? (pages[place.page] ?? null) : null;

  useLayoutEffect(() => {
    const root = article.current;
    if (!root || !page) return;
    for (const old of root.querySelectorAll('.handbook-landed')) old.classList.remove('handbook-landed');
    const target = place.anchor ? root.querySelector(`[id="${CSS.escape(place.anchor)}"]`) : null;
    if (!target) {
      root.closest('.screen')?.scrollTo(0, 0);
      return;
    }
    const heading = sectionHeading(target);
    (heading ?? target).scrollIntoView({ block: 'start' });
    if (heading) {
      // The section the link was for: marked, and focused so a screen reader starts reading there.
      heading.classList.add('handbook-landed');
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }, [page, place.anchor]);

  return (
    <div className="handbook" data-testid="handbook">
      <nav className="handbook-bar" aria-label="Handbook">
        <strong>Handbook</strong>
        <a href={handbookAddress(HANDBOOK_HOME)}>Contents</a>
        <span className="spacer" />
        <button type="button" className="link" onClick={() => setTab(tab)}>
          Back to the console
        </button>
      </nav>
      {pages === null ? (
        <p className="loading" role="status">
          Opening the handbook…
        </p>
      ) : pages instanceof Error ? (
        <p className="notice notice-error" role="alert">
          The handbook could not be opened: {pages.message}
        </p>
      ) : page ? (
        // The build rendered this HTML from the handbook's own markdown (docs/): nothing from SAP or the marketplace.
        <article ref={article} className="handbook-page" aria-label={page.title} dangerouslySetInnerHTML={{ __html: page.html }} />
      ) : (
        <p className="notice notice-error" role="alert" data-testid="handbook-missing">
          The handbook has no page {place.page}. <a href={handbookAddress(HANDBOOK_HOME)}>Open its contents</a>
        </p>
      )}
    </div>
  );
}
