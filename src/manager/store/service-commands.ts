/**
 * Commands for services and their tasks.
 * (Filled in by the object-model work; empty until then.)
 */
export type ServiceCommand = never;

export function isServiceCommand(_cmd: { readonly op: string }): _cmd is ServiceCommand {
  return false;
}
