/** The icon set of the app: names and their SVG paths. */
export type IconName =
  | 'labs'
  | 'cluster'
  | 'topics'
  | 'groups'
  | 'services'
  | 'faults'
  | 'console'
  | 'reports'
  | 'charts'
  | 'timeline'
  | 'dock'
  | 'plus'
  | 'trash'
  | 'refresh'
  | 'check'
  | 'cross'
  | 'star'
  | 'circle'
  | 'alert'
  | 'send'
  | 'sun'
  | 'moon'
  | 'globe'
  | 'clock'
  | 'close'
  | 'server'
  | 'chevron-right'
  | 'chevron-left'
  | 'download'
  | 'upload'
  | 'pause'
  | 'play'
  | 'step'
  | 'fast-forward'
  | 'stop'
  | 'power'
  | 'lock'
  | 'info'
  | 'ban'
  | 'edit';

/** Paths on a 24×24 grid, stroked with currentColor. */
export const ICON_PATHS: Record<IconName, readonly string[]> = {
  labs: ['M9 3h6', 'M10 3v6l-5 9a2 2 0 0 0 1.7 3h10.6a2 2 0 0 0 1.7-3l-5-9V3', 'M7.5 15h9'],
  cluster: ['M4 4h16v6H4z', 'M4 14h16v6H4z', 'M8 7h.01', 'M8 17h.01'],
  topics: ['M12 3 2 8l10 5 10-5-10-5z', 'M2 16l10 5 10-5', 'M2 12l10 5 10-5'],
  groups: ['M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2', 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M22 21v-2a4 4 0 0 0-3-3.87', 'M16 3.13a4 4 0 0 1 0 7.75'],
  services: ['M21 8 12 3 3 8v8l9 5 9-5z', 'M3 8l9 5 9-5', 'M12 13v8'],
  faults: ['M13 2 3 14h9l-1 8 10-12h-9l1-8z'],
  console: ['M4 17l6-6-6-6', 'M12 19h8'],
  reports: ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z', 'M14 2v6h6', 'M8 13h8', 'M8 17h8'],
  charts: ['M3 3v18h18', 'M7 15l4-5 4 3 5-7'],
  timeline: ['M3 12h18', 'M7 8v8', 'M12 6v12', 'M17 9v6'],
  dock: ['M3 4h18v16H3z', 'M15 4v16'],
  plus: ['M12 5v14', 'M5 12h14'],
  trash: ['M3 6h18', 'M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6', 'M10 11v6', 'M14 11v6', 'M9 6V4a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2'],
  refresh: ['M21 3v6h-6', 'M21 9a9 9 0 1 0 .5 6'],
  check: ['M20 6 9 17l-5-5'],
  cross: ['M18 6 6 18', 'M6 6l12 12'],
  close: ['M18 6 6 18', 'M6 6l12 12'],
  star: ['M12 2.5l2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.4l-5.9 3.1 1.2-6.5-4.8-4.6 6.6-.9z'],
  circle: ['M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16z'],
  alert: ['M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z', 'M12 9v4', 'M12 17h.01'],
  send: ['M22 2 11 13', 'M22 2l-7 20-4-9-9-4z'],
  sun: ['M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10z', 'M12 1v2', 'M12 21v2', 'M4.2 4.2l1.4 1.4', 'M18.4 18.4l1.4 1.4', 'M1 12h2', 'M21 12h2', 'M4.2 19.8l1.4-1.4', 'M18.4 5.6l1.4-1.4'],
  moon: ['M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z'],
  globe: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M2 12h20', 'M12 2a15 15 0 0 1 4 10 15 15 0 0 1-4 10 15 15 0 0 1-4-10 15 15 0 0 1 4-10z'],
  clock: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 6v6l4 2'],
  server: ['M4 3h16v7H4z', 'M4 14h16v7H4z', 'M8 6.5h.01', 'M8 17.5h.01'],
  'chevron-right': ['M9 18l6-6-6-6'],
  'chevron-left': ['M15 18l-6-6 6-6'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  upload: ['M12 20V9', 'M7 14l5-5 5 5', 'M5 4h14'],
  pause: ['M7 4h3v16H7z', 'M14 4h3v16h-3z'],
  play: ['M6 4l14 8-14 8z'],
  step: ['M5 4l10 8-10 8z', 'M19 5v14'],
  'fast-forward': ['M3 5l8 7-8 7z', 'M13 5l8 7-8 7z'],
  stop: ['M6 6h12v12H6z'],
  power: ['M12 2v10', 'M18.4 6.6a9 9 0 1 1-12.8 0'],
  lock: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  info: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 16v-4', 'M12 8h.01'],
  ban: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M4.9 4.9l14.2 14.2'],
  edit: ['M12 20h9', 'M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z'],
};
