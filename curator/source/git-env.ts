/** The environment every git call runs in: nothing inherited that could run a program or read user configuration. */

export interface GitEnvOptions {
  /**
   * HOME for git, so no ~/.gitconfig or XDG config is read. Default `/dev/null`: nothing can exist below it,
   * and git treats the missing files as absent. On Windows pass an empty directory.
   */
  home?: string;
  /** Transports git may use (`GIT_ALLOW_PROTOCOL`: as if protocol.allow=never plus protocol.<name>.allow=always for each). */
  protocols: Array<'https' | 'file'>;
  /** The caller's environment: only PATH, proxy and CA settings are taken from it. */
  inherit?: NodeJS.ProcessEnv;
}

const NO_HOME = '/dev/null';

const PASSED_THROUGH = [
  'PATH',
  'SystemRoot',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
];

/** A fresh environment for git: no system or global config, no prompts, no pagers, only the allowed transports. */
export function gitEnv(options: GitEnvOptions): Record<string, string> {
  const inherit = options.inherit ?? process.env;
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = inherit[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    HOME: options.home ?? NO_HOME,
    XDG_CONFIG_HOME: options.home ?? NO_HOME,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: options.protocols.join(':'),
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
    LANG: 'C',
  };
}
