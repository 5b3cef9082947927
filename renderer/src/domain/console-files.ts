/**
 * The names the console's home accepts, checked before anything is sent: the contract's rule
 * (engine/api/console-dto.ts ConsoleFilePath) restated, since the renderer imports only types from
 * engine/api. A name the engine would refuse anyway is refused here with a translated hint.
 */

const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

export function isConsoleFileName(name: string): boolean {
  return FILE_NAME.test(name) && !name.includes('..');
}
