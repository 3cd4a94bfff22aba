import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { readInputs } from './action/inputs.js';
import { loadConfigFile } from './adapters/config-file.js';
import { collectFiles } from './adapters/files.js';
import { ConfigurationError } from './config/errors.js';
import { scanFiles } from './core/scan.js';
import { registry } from './rules/index.js';
import { toSarif } from './report/sarif.js';
import { countFindings, severityBreakdown } from './report/summary.js';
import { RULE_DOCS_URL } from './version.js';

/**
 * The Action's entry: scans the workspace, annotates findings, writes SARIF and the job summary, and fails the step
 * when findings reach `fail-on`. Pull-request review and check runs build on this (see the README).
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const started = performance.now();
    const config = await loadConfigFile(inputs.workingDirectory, inputs.config);
    const failOn = inputs.failOn ?? config.failOn;
    const collected = await collectFiles({
      root: inputs.workingDirectory,
      paths: inputs.paths,
      include: config.include,
      exclude: config.exclude,
    });
    const result = scanFiles(collected.files, config);
    const errors = [...collected.errors, ...result.errors];
    core.info(
      `Scanned ${result.stats.files} files (${result.stats.documents} documents, ${result.stats.workloads} workloads) ` +
        `in ${Math.round(performance.now() - started)} ms with ${config.file ?? 'the default configuration'}.`,
    );
    for (const notice of [...collected.notices, ...result.notices])
      core.info(`${notice.file}: ${notice.message}`);
    for (const error of errors)
      core.error(error.message, { file: error.file, startLine: error.line ?? undefined });
    for (const finding of result.findings) {
      if (finding.suppressed) continue;
      const properties = {
        title: finding.ruleId,
        file: finding.file,
        startLine: finding.line,
        endLine: finding.endLine,
      };
      if (finding.severity === 'critical' || finding.severity === 'high')
        core.error(finding.message, properties);
      else if (finding.severity === 'medium') core.warning(finding.message, properties);
      else core.notice(finding.message, properties);
    }
    const rules = registry.rules
      .filter((rule) => config.rules[rule.meta.id]?.enabled)
      .map((rule) => rule.meta);
    const sarifPath = resolve(inputs.workingDirectory, inputs.sarifFile);
    await writeFile(sarifPath, JSON.stringify(toSarif(result.findings, errors, rules)));

    const counts = countFindings(result.findings, failOn);
    const conclusion = counts.blocking > 0 ? 'failure' : 'success';
    core.setOutput('findings', counts.total);
    core.setOutput('blocking', counts.blocking);
    core.setOutput('suppressed', counts.suppressed);
    core.setOutput('sarif-file', sarifPath);
    core.setOutput('conclusion', conclusion);

    const rows = registry.rules
      .map((rule) => {
        const list = result.findings.filter((finding) => finding.ruleId === rule.meta.id);
        return {
          id: rule.meta.id,
          open: list.filter((f) => !f.suppressed).length,
          suppressed: list.filter((f) => f.suppressed).length,
        };
      })
      .filter((row) => row.open + row.suppressed > 0)
      .map((row) => [
        `[\`${row.id}\`](${RULE_DOCS_URL}/${row.id}.md)`,
        String(row.open),
        String(row.suppressed),
      ]);
    core.summary.addHeading('kube-token-guard', 2);
    core.summary.addRaw(
      counts.total === 0
        ? 'No ServiceAccount token findings.'
        : `${counts.total} findings (${severityBreakdown(counts)}), ${counts.blocking} at or above \`${failOn}\`.`,
      true,
    );
    if (rows.length > 0)
      core.summary.addTable([
        [
          { data: 'Rule', header: true },
          { data: 'Open', header: true },
          { data: 'Suppressed', header: true },
        ],
        ...rows,
      ]);
    await core.summary.write();

    if (counts.blocking > 0) {
      core.setFailed(`${counts.blocking} finding(s) at or above ${failOn}.`);
    } else if (errors.length > 0) {
      core.setFailed(`${errors.length} file(s) could not be scanned; see the errors above.`);
    }
  } catch (error) {
    if (error instanceof ConfigurationError) core.setFailed(error.message);
    else
      core.setFailed(
        `kube-token-guard failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
  }
}
