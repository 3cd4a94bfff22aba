import { ruleTester } from './tester.js';

/** A workload alone in its file; its ServiceAccount field is on line 9. */
function workload(
  name: string,
  account: string | null,
  options: { namespace?: string; kind?: string; field?: string } = {},
): string {
  const lines = [
    `apiVersion: ${options.kind === 'CronJob' ? 'batch/v1' : 'apps/v1'}`,
    `kind: ${options.kind ?? 'Deployment'}`,
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${options.namespace ?? 'shop'}`,
  ];
  const podSpec = [
    ...(account === null ? [] : [`${options.field ?? 'serviceAccountName'}: ${account}`]),
    'automountServiceAccountToken: false',
    'containers: [{name: c, image: nginx}]',
  ];
  if (options.kind === 'CronJob') {
    lines.push(
      'spec:',
      '  schedule: "@hourly"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
    );
    lines.push(...podSpec.map((line) => `          ${line}`));
  } else {
    lines.push('spec:', '  template:', '    spec:', ...podSpec.map((line) => `      ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

ruleTester('shared-service-account', {
  valid: [
    { name: 'one workload per SA', files: { 'a.yaml': workload('a', 'a'), 'b.yaml': workload('b', 'b') } },
    {
      name: 'the same Deployment in two files (overlays, copies) is one workload',
      files: { 'base/a.yaml': workload('a', 'api'), 'prod/a.yaml': workload('a', 'api') },
    },
    {
      name: 'default SA by omission is not counted',
      files: { 'a.yaml': workload('a', null), 'b.yaml': workload('b', null) },
    },
    {
      name: 'explicit default SA is not counted',
      files: { 'a.yaml': workload('a', 'default'), 'b.yaml': workload('b', 'default') },
    },
    {
      name: 'same SA name in different namespaces is not shared',
      files: {
        'a.yaml': workload('a', 'api', { namespace: 'shop' }),
        'b.yaml': workload('b', 'api', { namespace: 'billing' }),
      },
    },
  ],
  invalid: [
    {
      name: 'two Deployments share an SA: one finding each, naming the other',
      files: { 'a.yaml': workload('a', 'api'), 'b.yaml': workload('b', 'api') },
      severity: 'low',
      line: 9,
      fix: null,
      findings: [
        {
          file: 'a.yaml',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'a' },
          message: 'Deployment shop/a shares ServiceAccount `api` with `Deployment/b`',
          notMessage: '`Deployment/a`',
        },
        {
          file: 'b.yaml',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'b' },
          message: 'Deployment shop/b shares ServiceAccount `api` with `Deployment/a`',
          notMessage: '`Deployment/b`',
        },
      ],
    },
    {
      name: 'a Deployment and a CronJob of the same name are two workloads',
      files: { 'a.yaml': workload('a', 'api'), 'b.yaml': workload('a', 'api', { kind: 'CronJob' }) },
      findings: [
        { file: 'a.yaml', line: 9, message: 'with `CronJob/a`' },
        { file: 'b.yaml', line: 12, message: 'with `Deployment/a`' },
      ],
    },
    {
      name: 'the deprecated serviceAccount field counts, and the SA need not be declared',
      files: { 'a.yaml': workload('a', 'api', { field: 'serviceAccount' }), 'b.yaml': workload('b', 'api') },
      findings: [
        { file: 'a.yaml', line: 9, message: 'with `Deployment/b`' },
        { file: 'b.yaml', line: 9, message: 'with `Deployment/a`' },
      ],
    },
    {
      name: 'three workloads: each names the two others',
      files: {
        'a.yaml': workload('a', 'api'),
        'b.yaml': workload('b', 'api'),
        'c.yaml': workload('c', 'api'),
      },
      findings: [
        { file: 'a.yaml', message: 'with `Deployment/b`, `Deployment/c`:' },
        { file: 'b.yaml', message: 'with `Deployment/a`, `Deployment/c`:' },
        { file: 'c.yaml', message: 'with `Deployment/a`, `Deployment/b`:' },
      ],
    },
    {
      name: 'eight workloads: each names the first five others and counts the rest',
      files: Object.fromEntries([...'abcdefgh'].map((name) => [`${name}.yaml`, workload(name, 'api')])),
      findings: [
        {
          file: 'a.yaml',
          message:
            'with `Deployment/b`, `Deployment/c`, `Deployment/d`, `Deployment/e`, `Deployment/f` and 2 more:',
        },
        {
          file: 'b.yaml',
          message:
            'with `Deployment/a`, `Deployment/c`, `Deployment/d`, `Deployment/e`, `Deployment/f` and 2 more:',
        },
        {
          file: 'c.yaml',
          message:
            'with `Deployment/a`, `Deployment/b`, `Deployment/d`, `Deployment/e`, `Deployment/f` and 2 more:',
        },
        {
          file: 'd.yaml',
          message:
            'with `Deployment/a`, `Deployment/b`, `Deployment/c`, `Deployment/e`, `Deployment/f` and 2 more:',
        },
        {
          file: 'e.yaml',
          message:
            'with `Deployment/a`, `Deployment/b`, `Deployment/c`, `Deployment/d`, `Deployment/f` and 2 more:',
        },
        {
          file: 'f.yaml',
          message:
            'with `Deployment/a`, `Deployment/b`, `Deployment/c`, `Deployment/d`, `Deployment/e` and 2 more:',
        },
        {
          file: 'g.yaml',
          message:
            'with `Deployment/a`, `Deployment/b`, `Deployment/c`, `Deployment/d`, `Deployment/e` and 2 more:',
        },
        {
          file: 'h.yaml',
          message:
            'with `Deployment/a`, `Deployment/b`, `Deployment/c`, `Deployment/d`, `Deployment/e` and 2 more:',
        },
      ],
    },
    {
      name: 'workloads without namespace share within `default`',
      files: {
        'a.yaml': workload('a', 'api').replace('  namespace: shop\n', ''),
        'b.yaml': workload('b', 'api', { namespace: 'default' }),
      },
      findings: [
        { file: 'a.yaml', line: 8, resource: { namespace: 'default' } },
        { file: 'b.yaml', line: 9, resource: { namespace: 'default' } },
      ],
    },
    {
      name: 'a copy of a sharing workload is reported in each file',
      files: {
        'base/a.yaml': workload('a', 'api'),
        'prod/a.yaml': workload('a', 'api'),
        'b.yaml': workload('b', 'api'),
      },
      findings: [
        { file: 'b.yaml', message: 'with `Deployment/a`:' },
        { file: 'base/a.yaml', message: 'with `Deployment/b`:' },
        { file: 'prod/a.yaml', message: 'with `Deployment/b`:' },
      ],
    },
  ],
});
