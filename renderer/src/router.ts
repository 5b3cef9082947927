/**
 * Routes of this version: Labs, Cluster, Topics, Groups, Charts, Timeline, Services, Faults and Console. Hash history, because the
 * page is served from a file-like origin (the desktop app's protocol, or the headless shell's
 * single index.html) that knows no other paths. Areas that arrive later have no route; anything
 * unknown lands on Cluster.
 */
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import ChartsView from './views/ChartsView.vue';
import ClusterView from './views/ClusterView.vue';
import ConsoleView from './views/ConsoleView.vue';
import ReportsView from './views/ReportsView.vue';
import FaultsView from './views/FaultsView.vue';
import GroupsView from './views/GroupsView.vue';
import LabsView from './views/LabsView.vue';
import ServicesView from './views/ServicesView.vue';
import TimelineView from './views/TimelineView.vue';
import TopicsView from './views/TopicsView.vue';

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/cluster' },
  { path: '/labs', name: 'labs', component: LabsView, meta: { titleKey: 'nav.labs' } },
  { path: '/cluster', name: 'cluster', component: ClusterView, meta: { titleKey: 'nav.cluster' } },
  { path: '/topics', name: 'topics', component: TopicsView, meta: { titleKey: 'nav.topics' } },
  { path: '/groups', name: 'groups', component: GroupsView, meta: { titleKey: 'nav.groups' } },
  { path: '/charts', name: 'charts', component: ChartsView, meta: { titleKey: 'nav.charts' } },
  { path: '/timeline', name: 'timeline', component: TimelineView, meta: { titleKey: 'nav.timeline' } },
  { path: '/services', name: 'services', component: ServicesView, meta: { titleKey: 'nav.services' } },
  { path: '/faults', name: 'faults', component: FaultsView, meta: { titleKey: 'nav.faults' } },
  { path: '/console', name: 'console', component: ConsoleView, meta: { titleKey: 'nav.console' } },
  { path: '/reports', name: 'reports', component: ReportsView, meta: { titleKey: 'nav.reports' } },
  { path: '/:unknown(.*)*', redirect: '/cluster' },
];

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
