/**
 * The one environment and the one set of `-c` settings every git process runs with: nothing inherited
 * that could point git at another repository, run a program, prompt, or change what its output means.
 */

export type GitProtocol = 'https' | 'file';

export interface GitEnvOptions {
  /** Transports git may use (default none: local repositories only). */
  protocols?: readonly GitProtocol[];
  /**
   * No user configuration either: HOME and XDG_CONFIG_HOME point at nothing, so no ~/.gitconfig is read.
   * For repositories and remotes the user's settings have no business with, such as package sources.
   * Without it the user's global configuration applies (identity, safe.directory), as for any git command they run.
   */
  isolated?: boolean;
  /** With `isolated`, the HOME to use instead of /dev/null (on Windows, an empty directory). */
  home?: string;
  /** Where PATH, proxy and CA settings are taken from (default: process.env at the time of the call). */
  inherit?: NodeJS.ProcessEnv;
}

/** Taken from the caller's environment: how to find programs, proxies and certificates; nothing git reads as its own. */
const PASSED_THROUGH = [
  'PATH',
  'SystemRoot',
  'TMPDIR',
  'TEMP',
  'TMP',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

/** Where git finds the user's configuration; passed through unless the call is isolated. */
const USER_HOME = ['HOME', 'XDG_CONFIG_HOME', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH'];

const NOWHERE = '/dev/null';

/**
 * A fresh environment for one git process: PATH, proxy and CA settings from `inherit`, every inherited
 * GIT_* variable (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY, GIT_CONFIG_*, GIT_EXEC_PATH …)
 * left out, then only what Granary means: no system config, no prompts, no pagers, no replace refs,
 * only the allowed transports, C locale.
 */
export function gitEnv(options: GitEnvOptions = {}): Record<string, string> {
  const inherit = options.inherit ?? process.env;
  const env: Record<string, string> = {};
  for (const key of options.isolated ? PASSED_THROUGH : [...PASSED_THROUGH, ...USER_HOME]) {
    const value = inherit[key];
    if (value !== undefined) env[key] = value;
  }
  if (options.isolated) {
    env['HOME'] = options.home ?? NOWHERE;
    env['XDG_CONFIG_HOME'] = options.home ?? NOWHERE;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: (options.protocols ?? []).join(':'),
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
    LANG: 'C',
  };
}

/**
 * `-c` settings for every call: no hooks, no fsmonitor, no external diff program, no signature
 * checks in logs, no automatic gc, raw paths, and (again, as config) only the allowed transports.
 * A CA bundle named by an inherited GIT_SSL_CAINFO / GIT_SSL_CAPATH is kept for https, as configuration.
 */
export function gitConfigArgs(options: GitEnvOptions = {}): string[] {
  const protocols = options.protocols ?? [];
  const settings = [
    'core.hooksPath=/dev/null',
    'core.fsmonitor=false',
    'core.quotePath=false',
    'diff.external=',
    'log.showSignature=false',
    'gc.auto=0',
    'maintenance.auto=false',
    'protocol.allow=never',
    ...protocols.map((p) => `protocol.${p}.allow=always`),
  ];
  if (protocols.includes('https')) {
    const inherit = options.inherit ?? process.env;
    const caInfo = inherit['GIT_SSL_CAINFO'];
    const caPath = inherit['GIT_SSL_CAPATH'];
    if (caInfo) settings.push(`http.sslCAInfo=${caInfo}`);
    if (caPath) settings.push(`http.sslCAPath=${caPath}`);
  }
  return settings.flatMap((s) => ['-c', s]);
}
