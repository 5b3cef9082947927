/**
 * Starts the renderer: preferences first (so the first paint already has the right theme and
 * language), then the engine connection, then the app.
 */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { provideEngineApi } from './api/api-provider';
import { connectEngine } from './api/engine';
import { createAppI18n } from './i18n';
import { createAppRouter } from './router';
import { useClusterStore } from './stores/cluster-store';
import { useLabRunStore } from './stores/lab-run-store';
import { useWorkspaceStore } from './stores/workspace-store';
import { usePreferencesStore, type PreferenceStorage } from './stores/preferences-store';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';

function browserStorage(): PreferenceStorage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be disabled by policy; preferences then last for this window only.
    return null;
  }
}

const pinia = createPinia();
const preferences = usePreferencesStore(pinia);
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
preferences.init({
  storage: browserStorage(),
  languages: navigator.languages.length > 0 ? navigator.languages : [navigator.language],
  prefersDark: () => darkQuery.matches,
  onPrefersDarkChange: (listener) => darkQuery.addEventListener('change', (event) => listener(event.matches)),
});
document.documentElement.dataset.theme = preferences.theme;
document.documentElement.lang = preferences.locale;

const cluster = useClusterStore(pinia);
const { api, transport } = connectEngine((state) => cluster.setConnection(state));
provideEngineApi(api);
cluster.start(transport);
// Which cluster the views show, and the open lab's sheet, matter to every view: followed all along.
useWorkspaceStore(pinia).start();
useLabRunStore(pinia).start();

createApp(App).use(pinia).use(createAppRouter()).use(createAppI18n(preferences.locale)).mount('#app');
