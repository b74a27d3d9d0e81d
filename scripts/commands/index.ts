/** Every command of the CLI, in the order `granary --help` lists them. */
import type { Command } from 'commander';
import type { CommandContext } from '../command.js';
import { registerKeygen } from './keygen.js';
import { registerResolve } from './resolve.js';
import { registerInfo } from './info.js';
import { registerSearch } from './search.js';
import { registerPack } from './pack.js';
import { registerCurate } from './curate.js';
import { registerIndex } from './index-cmd.js';
import { registerInstall } from './install.js';
import { registerVerify } from './verify.js';
import { registerMirror } from './mirror.js';

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

export const commands: RegisterCommand[] = [registerKeygen, registerResolve, registerInfo, registerSearch, registerPack, registerCurate, registerIndex, registerInstall, registerVerify, registerMirror];
