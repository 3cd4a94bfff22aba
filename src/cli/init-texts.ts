/** The files `init` writes: a commented config and a pull request workflow, for the layout it found. */
import { SEVERITIES } from '../core/types.js';
import { plural } from '../core/words.js';
import { CATALOG } from '../rules/catalog.generated.js';
import type { RuleMeta } from '../rules/types.js';
import { PROJECT_URL, RULE_DOCS_URL, TOOL_NAME, TOOL_VERSION } from '../version.js';

/** The Action's major tag, which the workflow and the schema link follow. */
const ACTION_REF = `v${TOOL_VERSION.split('.')[0]}`;
const ACTION = `${new URL(PROJECT_URL).pathname.slice(1)}@${ACTION_REF}`;
const SCHEMA_URL = `${PROJECT_URL.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/${ACTION_REF}/schema/kube-token-guard.schema.json`;
/** Beyond this many charts, the config lists only a count: the others render with the defaults anyway. */
const MAX_LISTED_CHARTS = 25;
const WIDTH = 110;

export interface DetectedChart {
  /** Folder holding Chart.yaml, relative to the root ('' for the root itself). */
  path: string;
  /** The chart's name from Chart.yaml: the release name it renders with by default. */
  name: string;
  /** Values files next to the chart's values.yaml (values-prod.yaml, say), which are not used unless listed. */
  extraValues: string[];
}

export interface RepositoryLayout {
  charts: DetectedChart[];
  /** Every folder with a kustomization. */
  kustomizations: string[];
  /** Those no other kustomization includes: what is built by default. */
  overlays: string[];
}

/** `text` as comment lines of at most WIDTH characters, each starting with `prefix`. */
function comment(text: string, prefix = '# '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && prefix.length + line.length + 1 + word.length > WIDTH) {
      lines.push(`${prefix}${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`${prefix}${line}`);
  return lines;
}

/** A YAML path in single quotes, so globs and odd characters stay strings. */
function quoted(path: string): string {
  return `'${path.replace(/'/g, "''")}'`;
}

function chartLines(charts: DetectedChart[], defaultNamespace: string): string[] {
  const lines = [
    ...comment(
      'Helm charts. Every folder with a Chart.yaml is rendered with the real `helm template` (helm from PATH), ' +
        "offline, with the chart's own values, the chart name as release and `default-namespace`. An entry here " +
        'renders a chart with other settings; a chart listed twice renders twice (once per environment, say). ' +
        'Keys: `path` (the chart folder, required), `release`, `namespace`, `values` (values files relative to the ' +
        'repository root, in order), `set` (like `--set key=value`) and `kube-version` (overrides the one above).',
    ),
  ];
  if (charts.length === 0) {
    lines.push(
      '# No chart (Chart.yaml) was found when this file was written. An entry looks like this:',
      '#   - path: charts/web',
      '#     release: web',
      '#     namespace: shop',
      '#     values: [charts/web/values-prod.yaml]',
      '#     set: {replicaCount: 2}',
      '#     kube-version: 1.31.0',
      'charts: []',
    );
    return lines;
  }
  const listed = charts.slice(0, MAX_LISTED_CHARTS);
  lines.push(
    ...comment(
      `Found ${plural(charts.length, 'chart')} in this repository. ` +
        (charts.length > listed.length
          ? `The first ${listed.length} are listed with their default settings; the other ${charts.length - listed.length} render with the defaults too. `
          : `${charts.length === 1 ? 'It is' : 'They are'} listed with the default settings, so nothing changes until you edit an entry. `) +
        'Uncomment a setting to change it.',
    ),
    'charts:',
  );
  for (const chart of listed) {
    lines.push(`  - path: ${quoted(chart.path || '.')}`);
    lines.push(`    # release: ${chart.name}`, `    # namespace: ${defaultNamespace}`);
    if (chart.extraValues.length > 0) {
      lines.push(`    # values: [${chart.extraValues.map(quoted).join(', ')}]   # found next to values.yaml`);
    } else {
      lines.push(`    # values: [${quoted(`${chart.path ? `${chart.path}/` : ''}values-prod.yaml`)}]`);
    }
    lines.push('    # set: {}');
  }
  return lines;
}

function overlayLines(layout: RepositoryLayout): string[] {
  const lines = comment(
    'Kustomize overlays, built with the real `kustomize build` (kustomize from PATH). By default every folder ' +
      'with a kustomization that no other kustomization includes is built, so new overlays are covered without ' +
      'editing this file; list folders here to build only those.',
  );
  if (layout.kustomizations.length === 0) {
    lines.push('# No kustomization was found when this file was written. A list looks like this:');
    lines.push('# overlays:', '#   - deploy/overlays/prod');
    return lines;
  }
  const included = layout.kustomizations.filter((dir) => !layout.overlays.includes(dir));
  lines.push(
    ...comment(
      `Found ${plural(layout.kustomizations.length, 'kustomization')} in this repository; ` +
        `built by default: ${layout.overlays.map((dir) => dir || '.').join(', ')}` +
        (included.length > 0
          ? ` (${included.map((dir) => dir || '.').join(', ')} ${included.length === 1 ? 'is' : 'are'} built as part of them).`
          : '.'),
    ),
    '# overlays:',
    ...layout.overlays.map((dir) => `#   - ${quoted(dir || '.')}`),
  );
  return lines;
}

/** A default value as YAML flow text: `[cluster-admin, admin, edit]`, `true`, `3600`. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'string') return /^[a-z0-9][\w.-]*$/i.test(value) ? value : quoted(value);
  return String(value);
}

function ruleLines(): string[] {
  const rules = Object.values(CATALOG as Record<string, RuleMeta>);
  const lines = [
    ...comment(
      "Per-rule settings. A rule takes `off`, `on`, a severity (which replaces the rule's own, escalations " +
        'included), or a map with `severity` and its options. Replace `{}` with the entries you need. Every rule ' +
        `is explained in ${RULE_DOCS_URL}/<rule>.md; here each with its default setting and options:`,
    ),
    'rules: {}',
  ];
  const column = Math.max(...rules.map((rule) => rule.id.length)) + 11;
  for (const rule of rules) {
    const strictOnly = !rule.presets.includes('recommended');
    const options = Object.entries(rule.options);
    const setting = options.length > 0 ? '' : strictOnly ? ' off' : " 'on'";
    const head = `#   ${rule.id}:${setting}`;
    lines.push(
      `${head.padEnd(column)} # ${rule.title} (${rule.severity}${strictOnly ? '; on in strict' : ''})`,
    );
    for (const [name, option] of options) {
      lines.push(...comment(option.description, '#     # '), `#     ${name}: ${flow(option.default)}`);
    }
  }
  return lines;
}

/** The commented config file `init` writes: every setting at its default, the repository's charts and overlays named. */
export function configFileText(layout: RepositoryLayout): string {
  const defaultNamespace = 'default';
  const lines = [
    `# yaml-language-server: $schema=${SCHEMA_URL}`,
    `# ${TOOL_NAME} configuration, written by \`${TOOL_NAME} init\`.`,
    ...comment(
      'Every value below is the default, so this file changes nothing until you edit it; a deleted setting falls ' +
        `back to its default. Reference: ${PROJECT_URL}#configuration-reference`,
    ),
    '',
    ...comment(
      'Preset the rules start from: `recommended` (every rule except missing-service-account; fails on high) or ' +
        '`strict` (adds missing-service-account; fails on medium).',
    ),
    'extends: recommended',
    '',
    ...comment(
      `Lowest severity that fails the check: ${SEVERITIES.join(', ')}, or none (never fail). The preset's default ` +
        "is high (medium with strict): change or delete this line when you switch presets. The Action's `fail-on` " +
        'input and the CLI flag `--fail-on` override it.',
    ),
    'fail-on: high',
    '',
    ...comment(
      'In a pull request, whether fail-on applies to the findings the pull request introduces (`new`) or to every ' +
        'finding in the files it changes (`all`). Findings that already existed are reported either way.',
    ),
    'report: new',
    '',
    ...comment(
      'Namespace of resources that set none and are not rendered into one (by Helm or a kustomization). ' +
        'ServiceAccounts and bindings are matched to workloads within a namespace.',
    ),
    `default-namespace: ${defaultNamespace}`,
    '',
    ...comment(
      'Kubernetes version the Helm charts are rendered for (`helm template --kube-version`), for templates that ' +
        'look at .Capabilities.KubeVersion.',
    ),
    'kube-version: 1.31.0',
    '',
    ...chartLines(layout.charts, defaultNamespace),
    '',
    ...comment(
      'Whether charts are rendered and overlays built. helm and kustomize must be installed: a chart or overlay ' +
        'that cannot be rendered fails the check, as anything that could not be checked does. `false` leaves them ' +
        'unchecked, knowingly (each is named in a notice).',
    ),
    'render: true',
    '',
    ...comment(
      'What is one cluster. `separate`: each chart render and each overlay build is an install of its own, ' +
        'applied with the plain manifests; ServiceAccounts, bindings and shared accounts are resolved within it, ' +
        'never across alternatives (`dev` and `prod` overlays, say). `together`: everything scanned is one cluster.',
    ),
    'installs: separate',
    ...comment(
      'Plain files that are each a whole install on their own (a generated install.yaml beside ha/install.yaml), ' +
        'as globs: each is then one install with the other plain manifests, never with another of them.',
    ),
    'install-files: []',
    '',
    ...overlayLines(layout),
    '',
    ...comment(
      'Files to scan (globs, relative to the repository root). YAML that is not a Kubernetes object, such as ' +
        'workflows and values files, is skipped quietly; files inside chart and kustomization folders are left to ' +
        'helm and kustomize.',
    ),
    'include:',
    "  - '**/*.yaml'",
    "  - '**/*.yml'",
    "  - '**/*.json'",
    '',
    ...comment('Files never to scan (globs). `.git` and `node_modules` folders are always skipped.'),
    'exclude:',
    "  - '**/node_modules/**'",
    '',
    ...ruleLines(),
    '',
    ...comment(
      'Workloads that call the Kubernetes API (globs over `namespace/name`), for RBAC kept outside the scanned ' +
        'files: no fix removes their token. A workload whose ServiceAccount is bound in the scan, or that carries ' +
        'the annotation `kube-token-guard.io/api-client`, is judged one without this. Replace `[]` with entries ' +
        'like this one:',
    ),
    'api-clients: []',
    "#   - 'monitoring/prometheus-*'",
    '',
    ...comment(
      'Accepted exceptions: matching findings are counted as suppressed, never silently dropped. Every filter ' +
        'given must match: `rule` or `rules` (rule ids), `kinds`, `namespaces`, `names` and `paths` (globs); ' +
        '`reason` is required. A single resource can instead carry the annotation ' +
        '`kube-token-guard.io/ignore: "<rule>[,<rule>]: <reason>"`. Replace `[]` with entries like this one:',
    ),
    'exemptions: []',
    '#   - rule: automount-token',
    '#     namespaces: [argocd]',
    "#     names: ['argocd-*']",
    '#     reason: Argo CD controllers call the Kubernetes API',
    '',
  ];
  return lines.join('\n');
}

/** The pull request workflow `init` writes. */
export function workflowText(layout: RepositoryLayout, configPath: string): string {
  const renders: string[] = [];
  if (layout.charts.length > 0) renders.push(plural(layout.charts.length, 'Helm chart'));
  if (layout.overlays.length > 0) renders.push(plural(layout.overlays.length, 'kustomize overlay'));
  const lines = [
    ...comment(
      `${TOOL_NAME}: reviews the ServiceAccount token hardening of the Kubernetes manifests a pull request ` +
        `changes. Written by \`${TOOL_NAME} init\`; settings are in ${configPath}. Inputs: ${PROJECT_URL}#inputs`,
    ),
    'name: kube-token-guard',
    '',
    'on:',
    '  pull_request:',
    '    types: [opened, synchronize, reopened]',
    ...comment(
      'Runs only when files that can hold manifests change. If you make the `kube-token-guard` check required in ' +
        'branch protection, delete `paths`: a pull request that skips the workflow never gets the check and cannot ' +
        'be merged.',
      '    # ',
    ),
    '    paths:',
    "      - '**.yaml'",
    "      - '**.yml'",
    "      - '**.json'",
    "      - '**.tpl'",
    "      - '**.tgz'",
    "      - '**/Kustomization'",
    '',
    '# What the Action needs, nothing more.',
    'permissions:',
    '  contents: read # check out the code and read the merge base',
    '  pull-requests: write # the review and its suggestions',
    '  checks: write # the check run and its annotations',
    '  security-events: write # the SARIF upload to code scanning (last step); delete both if you do not use it',
    '  actions: read # lets the SARIF upload read this run in a private repository',
    '',
    'concurrency:',
    '  group: kube-token-guard-${{ github.event.pull_request.number }}',
    '  cancel-in-progress: true',
    '',
    'jobs:',
    '  scan:',
    ...comment(
      'GitHub-hosted Ubuntu runners come with helm and kustomize' +
        (renders.length > 0 ? `, which this repository needs for its ${renders.join(' and ')}.` : '.'),
      '    # ',
    ),
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 15',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '        with:',
    '          ref: ${{ github.event.pull_request.head.sha }} # review comments point at lines of the head',
    '          fetch-depth: 0 # the merge base, to tell new findings from existing ones',
    '          persist-credentials: false',
    `      - uses: ${ACTION}`,
    '        id: guard',
    '        with:',
    '          comment-mode: review # or summary (no inline comments), or off (check run and SARIF only)',
    "          max-comments: '25'",
    '          check-name: kube-token-guard # the name to require in branch protection',
    '          sarif-file: kube-token-guard.sarif',
    `          autofix: 'false' # 'true' pushes the safe fixes to the branch (needs contents: write)`,
    '          # autofix-message: Harden ServiceAccount tokens (kube-token-guard)',
    '          # fail-on: high # overrides fail-on of the config',
    `          # config: ${configPath}`,
    '          # paths: | # only these files or folders, one per line',
    '          #   deploy',
    '          # working-directory: .',
    '          # token: ${{ github.token }}',
    '          # mode: auto # scan + publish split for forks: docs/examples/fork-safe-scan.yml',
    '          # results-file: kube-token-guard-results.json # where mode scan writes, mode publish reads',
    '      - uses: github/codeql-action/upload-sarif@v4',
    '        # Also when the check failed; not for forks, whose token cannot write security events.',
    "        if: ${{ !cancelled() && steps.guard.outputs.sarif-file != '' && github.event.pull_request.head.repo.full_name == github.repository }}",
    '        with:',
    '          sarif_file: ${{ steps.guard.outputs.sarif-file }}',
    '          category: kube-token-guard',
    '',
  ];
  return lines.join('\n');
}
