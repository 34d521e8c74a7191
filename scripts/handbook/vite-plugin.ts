import path from 'node:path';
import type { Plugin } from 'vite';
import { assetToken, handbookFiles, renderHandbook } from './handbook.ts';

/** The module the console imports the handbook from (renderer/features/handbook). */
export const HANDBOOK_MODULE = 'virtual:handbook';
const RESOLVED = `\0${HANDBOOK_MODULE}`;

/**
 * Renders docs/ into the console's build as one module of HTML pages, loaded when the handbook is first opened: the
 * handbook opens offline, from the Electron app's files or the headless host alike, and is the docs/ of the build.
 * Pictures are bundled as files of their own; the dev server and the UI tests re-render when a page changes. Each
 * configuration names docs/ itself: a bundled configuration file does not sit where this one does.
 */
export function handbookPlugin(docsDir: string): Plugin {
  return {
    name: 'marketplace-console-handbook',
    resolveId: (id) => (id === HANDBOOK_MODULE ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      for (const file of handbookFiles(docsDir)) this.addWatchFile(path.join(docsDir, file));
      const { pages, assets } = renderHandbook(docsDir);
      const imports = assets.map((file, i) => `import asset${i} from ${JSON.stringify(path.join(docsDir, file))};`);
      // Each page's HTML as pieces around its pictures' bundled addresses.
      const html = (text: string) => {
        let code = JSON.stringify(text);
        assets.forEach((_, i) => {
          code = code.split(JSON.stringify(assetToken(i)).slice(1, -1)).join(`" + asset${i} + "`);
        });
        return code;
      };
      const entries = Object.entries(pages).map(
        ([key, page]) => `  ${JSON.stringify(key)}: { title: ${JSON.stringify(page.title)}, html: ${html(page.html)} },`,
      );
      return `${imports.join('\n')}\nexport const pages = {\n${entries.join('\n')}\n};\n`;
    },
    handleHotUpdate({ file, server }) {
      if (!file.startsWith(docsDir + path.sep)) return;
      const module = server.moduleGraph.getModuleById(RESOLVED);
      if (module) server.moduleGraph.invalidateModule(module);
    },
  };
}
