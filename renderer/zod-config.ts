import { z } from 'zod';

// The CSP forbids eval, so zod's compiled (new Function) parsers cannot run. Saying so before any schema
// module loads stops zod probing with new Function and leaving a CSP violation report in the console.
// main.tsx imports this module first, so it runs before the contract's schemas are built.
z.config({ jitless: true });
