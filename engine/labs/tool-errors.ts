/** Kafka errors as Kafka's command-line tools print them, turned back into Kafka's error names. */

/** "NotEnoughReplicasException" → "NOT_ENOUGH_REPLICAS", as Kafka's Errors enum names it. */
export function errorNameOfException(simpleName: string): string {
  return simpleName
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase();
}

/** Kafka errors a console tool printed (org.apache.kafka.common.errors.XxxException), by error name. */
export function errorsInToolOutput(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    for (const match of line.matchAll(/org\.apache\.kafka\.common\.errors\.(\w+Exception)/g)) names.push(errorNameOfException(match[1]!));
  }
  return names;
}

