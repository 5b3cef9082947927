/** English strings of the Timeline view. */
export const timelineEn = {
  title: 'Timeline',
  intro: 'Everything that happened in the cluster, newest first, in the words of Kafka\u2019s logs.',
  filters: 'Show',
  filter: {
    faults: 'Faults',
    elections: 'Elections',
    isr: 'ISR',
    rebalances: 'Rebalances',
    scaling: 'Scaling',
    config: 'Config',
    loss: 'Data loss',
    other: 'Other',
  },
  search: 'Search',
  searchPlaceholder: 'orders-0, broker 2, inventory…',
  shown: '{shown} of {total} entries',
  empty: 'Nothing matches these filters.',
  nothingYet: 'Nothing has happened yet.',
  ongoing: 'ongoing',
  lasted: 'lasted {seconds} s',
  showOnCharts: 'Show on charts',
  severity: {
    info: 'info',
    warn: 'warning',
    error: 'error',
  },
} as const;
