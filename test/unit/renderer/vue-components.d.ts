/**
 * Component tests import .vue files; the renderer's own env.d.ts declares them for the web
 * typecheck, and this does the same for the Node typecheck that covers test/ (no DOM lib there).
 */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
