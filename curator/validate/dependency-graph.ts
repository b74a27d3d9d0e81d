/**
 * Dependency cycles at the level of versions: name@v depends on every version its range for a
 * dependency matches (overrides applied). A cycle in this graph is a set of versions a resolver
 * could pick together that depend on each other in a circle.
 */
import type { RegistryView } from './registry-view.js';

export interface VersionNode {
  name: string;
  version: string;
}

const key = (n: VersionNode) => `${n.name}@${n.version}`;

async function edges(view: RegistryView, node: VersionNode): Promise<Array<{ dependency: string; to: VersionNode }>> {
  const deps = await view.effectiveDependencies(node.name, node.version);
  const out: Array<{ dependency: string; to: VersionNode }> = [];
  for (const [name, range] of Object.entries(deps)) {
    if (name === node.name) continue;
    for (const version of view.matching(name, range)) out.push({ dependency: name, to: { name, version } });
  }
  return out;
}

/** A cycle back to `start` as a list of `name@version` (start first), and the dependency key it leaves start by; undefined when none. */
export async function findCycle(
  view: RegistryView,
  start: VersionNode,
  budget = 200_000,
): Promise<{ path: string[]; dependency: string } | undefined> {
  const target = key(start);
  const seen = new Set<string>([target]);
  // Iterative depth-first search; `parents` records the way back to print the cycle.
  const parents = new Map<string, { from: string; dependency: string }>();
  const stack: string[] = [];
  const nodes = new Map<string, VersionNode>([[target, start]]);
  for (const edge of await edges(view, start)) {
    const k = key(edge.to);
    if (k === target) return { path: [target, target], dependency: edge.dependency };
    if (!seen.has(k)) {
      seen.add(k);
      nodes.set(k, edge.to);
      parents.set(k, { from: target, dependency: edge.dependency });
      stack.push(k);
    }
  }
  let steps = 0;
  while (stack.length > 0 && steps++ < budget) {
    const current = stack.pop()!;
    for (const edge of await edges(view, nodes.get(current)!)) {
      const k = key(edge.to);
      if (k === target) {
        const path = [target];
        let at: string | undefined = current;
        let first = '';
        while (at && at !== target) {
          path.splice(1, 0, at);
          const parent = parents.get(at);
          if (parent?.from === target) first = parent.dependency;
          at = parent?.from;
        }
        path.push(target);
        return { path, dependency: first };
      }
      if (seen.has(k)) continue;
      seen.add(k);
      nodes.set(k, edge.to);
      parents.set(k, { from: current, dependency: edge.dependency });
      stack.push(k);
    }
  }
  return undefined;
}

/** Every strongly connected group of versions with more than one member (Tarjan, iterative), each as `name@version` keys. */
export async function allCycles(view: RegistryView): Promise<string[][]> {
  const adjacency = new Map<string, string[]>();
  for (const name of view.names()) {
    for (const version of view.versions(name)) {
      adjacency.set(
        `${name}@${version}`,
        (await edges(view, { name, version })).map((e) => key(e.to)),
      );
    }
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  for (const root of adjacency.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = adjacency.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        if (group.length > 1) groups.push(group.sort());
      }
    }
  }
  return groups;
}
