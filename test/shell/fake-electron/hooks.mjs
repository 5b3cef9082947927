// Module resolution hook: `electron` resolves to the stand-in beside this file, so the built main
// bundle runs under plain Node exactly as written.
const fakeUrl = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: fakeUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
