/** Names given to update and remove that the project does not have: the error that lists what it has and what was probably meant. */
import { InputError, shown } from '../core/errors.js';
import { nameError } from '../core/names.js';
import { didYouMean } from './did-you-mean.js';
import type { Project } from './project.js';

/** Which locked packages depend on `name` (from the lockfile's recorded dependencies). */
export function dependentsOf(project: Project, name: string): string[] {
  return Object.entries(project.lock?.packages ?? {})
    .filter(([, p]) => Object.hasOwn(p.dependencies, name))
    .map(([dependent]) => dependent)
    .sort();
}

/**
 * The error for `names` that are not the project's: for `remove`, not dependencies in granary.yaml; for
 * `update`, not dependencies nor locked packages. It lists the dependencies, suggests close names, and
 * says which packages need a name that is installed only as a dependency of others.
 */
export function notADependency(names: string[], project: Project, command: 'update' | 'remove'): InputError {
  const dependencies = Object.keys(project.requests).sort();
  const candidates =
    command === 'remove' ? dependencies : [...new Set([...dependencies, ...Object.keys(project.lock?.packages ?? {})])];
  const notes: string[] = [];
  for (const name of names) {
    const needing = dependentsOf(project, name);
    if (command === 'remove' && project.lock?.packages[name] && needing.length > 0)
      notes.push(`${name} is installed because ${needing.join(', ')} ${needing.length === 1 ? 'needs' : 'need'} it`);
    else if (!nameError(name)) {
      const suggestion = didYouMean(name, candidates);
      if (suggestion) notes.push(suggestion);
    }
  }
  const listed =
    dependencies.length === 0
      ? `${project.manifestShown} has no dependencies`
      : `the dependencies in ${project.manifestShown} are: ${dependencies.join(', ')}`;
  const one = names.length === 1;
  const what =
    command === 'remove'
      ? `${one ? 'is not a dependency' : 'are not dependencies'} in ${project.manifestShown}`
      : `${one ? 'is not a package' : 'are not packages'} of this project`;
  return new InputError(`${names.map((n) => shown(n, 64)).join(', ')} ${what}`, {
    where: project.manifestShown,
    hint: [...notes, listed].join('; '),
  });
}
