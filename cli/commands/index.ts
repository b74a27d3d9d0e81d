/**
 * Every command of the CLI, in the order `granary --help` lists them.
 *
 * These registration files stay light: they define names, options and help, and each action loads its
 * implementation (`X-run.ts`, which imports client/ or curator/) with `await import` only when that
 * command runs. Import nothing else here or in them but `import type`, ./defaults and modules that
 * import nothing themselves (core/errors, core/tarball-contract), or every command pays for it at
 * start-up (`npm run bench -- startup` counts what loads).
 */
import type { Command } from 'commander';
import type { CommandContext } from '../command.js';
import { registerKeygen } from './keygen.js';
import { registerRoot } from './root.js';
import { registerValidate } from './validate.js';
import { registerInit } from './init.js';
import { registerImport } from './import.js';
import { registerPack } from './pack.js';
import { registerCurate } from './curate.js';
import { registerIndex } from './index-cmd.js';
import { registerResolve } from './resolve.js';
import { registerInfo } from './info.js';
import { registerSearch } from './search.js';
import { registerInstall } from './install.js';
import { registerUpdate } from './update.js';
import { registerOutdated } from './outdated.js';
import { registerRemove } from './remove.js';
import { registerList } from './list.js';
import { registerVerify } from './verify.js';
import { registerMirror } from './mirror.js';
import { registerSite } from './site.js';
import { registerSubmit } from './submit.js';
import { registerDoctor } from './doctor.js';
import { registerWatch } from './watch.js';
import { registerAutomerge } from './automerge.js';
import { registerStats } from './stats.js';

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

export const commands: RegisterCommand[] = [
  registerInit,
  registerValidate,
  registerImport,
  registerKeygen,
  registerRoot,
  registerCurate,
  registerIndex,
  registerPack,
  registerResolve,
  registerInfo,
  registerSearch,
  registerInstall,
  registerUpdate,
  registerOutdated,
  registerRemove,
  registerList,
  registerVerify,
  registerMirror,
  registerSite,
  registerSubmit,
  registerWatch,
  registerAutomerge,
  registerStats,
  registerDoctor,
];
