import { realpath } from 'node:fs/promises';
import { loadConfigFile } from '../adapters/config-file.js';
import { readInside, writeInside } from '../adapters/links.js';
import { renderTools } from '../adapters/render.js';
import { findScanRoot } from '../adapters/scan-root.js';
import { scanWorkspace } from '../adapters/workspace.js';
import { ConfigurationError } from '../config/errors.js';
import { applyFixes } from '../core/apply.js';
import { terminalLines, terminalText } from '../core/display-text.js';
import { autofix } from '../core/autofix.js';
import { SecretFilter } from '../core/redact.js';
import { type Fix, SEVERITIES, isSeverity } from '../core/types.js';
import { plural } from '../core/words.js';
import { registry } from '../rules/index.js';
import { countFindings } from '../report/summary.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseCommandLine } from './arguments.js';
import { runInit } from './init.js';
import { reportTarget, writeReport } from './output.js';
import { progressLine } from './progress.js';
import { printReport, reportBatches } from './report.js';
import type { CliIo } from './io.js';

export type { CliIo };

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: ${TOOL_NAME} scan [PATH...] [options]
       ${TOOL_NAME} init [--dry-run] [--force]

Checks Kubernetes manifests for ServiceAccount token hardening. \`init\` writes a commented config and a pull
request workflow into the repository (see \`${TOOL_NAME} init --help\`).

PATH: files and folders to scan (default: the current folder). The repository they are in (the nearest folder
above them holding .git, else the folder given) is the root: reports name files relative to it, and its
.github/kube-token-guard.yml applies.

Options of scan:
  --config FILE             config file (default: .github/kube-token-guard.yml of the root, when present)
  --format text|json|sarif  output format (default: text)
  --output FILE             write the report to FILE instead of standard output
  --fail-on SEVERITY        lowest severity that fails: ${SEVERITIES.join(', ')}, none (default: from config, high)
  --fix                     apply the safe fixes to the files, then report what remains
  --show-suppressed         list suppressed findings in text output too
  --no-color                plain text output
  -h, --help                show this help
  -v, --version             show the version

Exit status: 0 nothing at or above fail-on, 1 findings at or above fail-on, 2 usage or config error, or a file\nthat could not be checked (errors outrank findings).
`;

export async function runCli(argv: string[], unfiltered: CliIo): Promise<number> {
  // Everything printed goes through the filter of the secrets the scan learns (see core/redact.ts).
  const secrets = new SecretFilter();
  const io: CliIo = {
    ...unfiltered,
    stdout: {
      write: (text: string) => unfiltered.stdout.write(secrets.redact(text)),
      isTTY: unfiltered.stdout.isTTY,
      once: unfiltered.stdout.once && ((event, listener) => unfiltered.stdout.once!(event, listener)),
    },
    stderr: {
      write: (text: string) => unfiltered.stderr.write(secrets.redact(text)),
      isTTY: unfiltered.stderr.isTTY,
    },
  };
  try {
    return await run(argv, io, secrets);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr.write(`${TOOL_NAME}: ${terminalLines(error.message, '')}\n`);
      return EXIT_USAGE;
    }
    // Anything else is a defect of ours. It must not end the process with Node's exit code 1, which says "findings":
    // it says it could not check, with the stack for a report, through the filter like every other line.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`${TOOL_NAME}: internal error, nothing was checked: ${terminalLines(detail, '    ')}\n`);
    return EXIT_USAGE;
  }
}

async function run(argv: string[], io: CliIo, secrets: SecretFilter): Promise<number> {
  const commandAt = argv.findIndex((arg) => !arg.startsWith('-'));
  if (argv[commandAt] === 'init') {
    const initArgs = argv.filter((_, index) => index !== commandAt);
    return runInit(initArgs, io);
  }
  const { values, positionals } = parseCommandLine(
    argv,
    {
      config: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      'fail-on': { type: 'string' },
      fix: { type: 'boolean', default: false },
      'show-suppressed': { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
    true,
    USAGE,
  );
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (values.version) {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT_OK;
  }
  const [command, ...given] = positionals;
  if (command !== 'scan') {
    throw new ConfigurationError(
      `${command ? `unknown command \`${command}\`` : 'no command given'}\n\n${USAGE}`,
    );
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new ConfigurationError(`--format must be text, json or sarif, not \`${format}\``);
  }
  const failOnFlag = values['fail-on'];
  if (failOnFlag !== undefined && failOnFlag !== 'none' && !isSeverity(failOnFlag)) {
    throw new ConfigurationError(
      `--fail-on must be one of ${SEVERITIES.join(', ')}, none; not \`${failOnFlag}\``,
    );
  }

  // Before scanning (and fixing): a report that cannot be written would be lost.
  const output = values.output === undefined ? null : await reportTarget(io.cwd, values.output);
  const started = performance.now();
  const { root, paths } = await findScanRoot(io.cwd, given);
  const config = await loadConfigFile(root, values.config, io.cwd);
  const failOn = (failOnFlag as typeof config.failOn | undefined) ?? config.failOn;
  const log: string[] = [];
  const tools = renderTools(io.env);
  const progress = progressLine(io.stderr);
  let { collected, result } = await scanWorkspace(
    root,
    paths,
    config,
    tools,
    (line) => log.push(line),
    secrets,
    progress,
  ).finally(progress.clear);
  if (values.fix) {
    // Plain files first, in passes until stable; then values files of charts, once, since their effect shows only
    // after rendering again.
    const fixed = autofix(collected.files, config);
    const originals = new Map(collected.files.map((file) => [file.path, file.text]));
    // Only files the report names: a path named inside a chart reports (and fixes) only its own findings.
    const reported = new Set(result.findings.map((finding) => finding.file));
    for (const file of fixed.files) {
      if (!file.rendered && file.text !== originals.get(file.path) && reported.has(file.path))
        await writeInside(root, file.path, file.text);
    }
    const changed = new Map([...fixed.changed].filter(([path]) => reported.has(path)));
    const valuesFixes = new Map<string, Fix[]>();
    for (const finding of result.findings) {
      if (finding.suppressed || !finding.fix?.file) continue;
      valuesFixes.set(finding.fix.file, [...(valuesFixes.get(finding.fix.file) ?? []), finding.fix]);
    }
    for (const [path, fixes] of valuesFixes) {
      const text = await readInside(root, path).catch(() => null);
      if (text === null) {
        log.push(`Fixes for ${path} were not applied: it is outside the repository or cannot be read.`);
        continue;
      }
      const applied = applyFixes(text, fixes);
      await writeInside(root, path, applied.text);
      changed.set(path, (changed.get(path) ?? 0) + fixes.length);
    }
    const total = [...changed.values()].reduce((sum, count) => sum + count, 0);
    log.push(
      total > 0
        ? `Fixed ${total} finding${total === 1 ? '' : 's'} in ${changed.size} file${changed.size === 1 ? '' : 's'}: ${[...changed].map(([path, count]) => `${path} (${count})`).join(', ')}`
        : 'Nothing to fix automatically.',
    );
    for (const path of fixed.reverted)
      log.push(`Fixes for ${path} were not applied: the result did not parse.`);
    if (total > 0)
      ({ collected, result } = await scanWorkspace(root, paths, config, tools, () => {}, secrets));
  }
  const errors = [...collected.errors, ...result.errors];
  const notices = [...collected.notices, ...result.notices];
  const elapsed = Math.round(performance.now() - started);

  const color =
    values['no-color'] !== true &&
    (values.color === true || (io.stdout.isTTY === true && !io.env.NO_COLOR && !values.output));
  const report = () =>
    reportBatches({
      format,
      findings: result.findings,
      errors,
      notices: format === 'text' ? notices : [],
      rules: registry.rules.filter((rule) => config.rules[rule.meta.id]?.enabled).map((rule) => rule.meta),
      text: { color, failOn, showSuppressed: values['show-suppressed'] },
    });
  // A report that could not be written goes to standard output, so a long scan is not lost: it is made again, from
  // the start.
  const unwritten = output ? await writeReport(output, redacted(report(), secrets)) : null;
  if (!output || unwritten) await printReport(io.stdout, report());

  if (format !== 'text') {
    for (const notice of notices)
      io.stderr.write(`notice: ${terminalText(notice.file)}: ${terminalLines(notice.message, '    ')}\n`);
  }
  // Log lines quote paths and tools' messages: one line each, whatever they hold.
  for (const line of log) io.stderr.write(`${terminalText(line)}\n`);
  io.stderr.write(
    `${TOOL_NAME}: scanned ${plural(result.stats.files, 'file')} ` +
      `(${plural(result.stats.documents, 'document')}, ${plural(result.stats.resources, 'resource')}, ` +
      `${plural(result.stats.workloads, 'workload')}) in ${elapsed} ms` +
      `${root === (await realpath(io.cwd).catch(() => io.cwd)) ? '' : ` in ${terminalText(root)}`}` +
      `${config.file ? ` with ${terminalText(config.file)}` : ' with the default configuration'}\n`,
  );

  if (unwritten) {
    io.stderr.write(`${TOOL_NAME}: ${terminalText(unwritten)}\n`);
    return EXIT_USAGE;
  }
  // Files that could not be judged outrank findings: a clean result must mean every file in scope was read.
  if (errors.length > 0) {
    const files = new Set(errors.map((error) => error.file)).size;
    const charts = errors.some((error) => error.message.startsWith('helm template failed'));
    io.stderr.write(
      `${TOOL_NAME}: ${plural(files, 'file')} could not be checked (the errors above); ` +
        'leave out files that are not Kubernetes manifests with `exclude` in the config' +
        (charts
          ? ', and give a chart the values it needs to render in its `charts` entry (or exclude its Chart.yaml).\n'
          : '.\n'),
    );
    return EXIT_USAGE;
  }
  return countFindings(result.findings, failOn).blocking > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Batches of a report as they leave: each redacted on its own (see core/redact-pieces.ts). */
function* redacted(batches: Iterable<string>, secrets: SecretFilter): Generator<string> {
  for (const batch of batches) yield secrets.redact(batch);
}
